package shortener.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CodeGeneratorTest {

    private static final Aliases NOTHING_RESERVED = new Aliases(List.of());

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = { 3, 6, 7, 12, 64 })
    void generatesCodesOfTheConfiguredLengthFromTheLookAlikeFreeAlphabet(int length) {
        var generator = new CodeGenerator(length, NOTHING_RESERVED);

        for (int i = 0; i < 1_000; i++) {
            String code = generator.next().value();
            assertThat(code).hasSize(length)
                .matches("[" + CodeGenerator.ALPHABET + "]+")
                .doesNotContainPattern("[0O1lIo]");
        }
    }

    @Test
    void usesEverySymbolAndRepeatsNoCodeInTenThousand() {
        var generator = new CodeGenerator(7, NOTHING_RESERVED);
        Set<String> codes = new HashSet<>();
        Set<Character> symbols = new HashSet<>();

        // 10 000 codes: a chance repeat among 7-symbol codes is then about 1 in 30 000
        // runs.
        for (int i = 0; i < 10_000; i++) {
            String code = generator.next().value();
            codes.add(code);
            code.chars().forEach(c -> symbols.add((char) c));
        }

        assertThat(codes).hasSize(10_000);
        assertThat(symbols).hasSize(CodeGenerator.ALPHABET.length());
    }

    @Test
    void skipsACodeThatIsAReservedWord() {
        String first = new CodeGenerator(7, NOTHING_RESERVED, new Random(42)).next().value();

        String next = new CodeGenerator(7, new Aliases(List.of(first.toUpperCase())), new Random(42)).next().value();

        assertThat(next).isNotEqualTo(first);
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = { 0, 2, 65 })
    void refusesALengthNoCodeCanHave(int length) {
        assertThatThrownBy(() -> new CodeGenerator(length, NOTHING_RESERVED))
            .isInstanceOf(IllegalArgumentException.class);
    }

}
