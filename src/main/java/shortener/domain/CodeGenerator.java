package shortener.domain;

import java.security.SecureRandom;
import java.util.Random;

import shortener.ShortCode;

/**
 * Random codes from an alphabet without look-alikes (no 0, O, o, 1, l, I), so a code read
 * aloud or from print comes out right. SecureRandom makes codes unguessable from earlier
 * ones; with 56 symbols, 7 characters give about 1.7 x 10^12 codes. Uniqueness is the
 * database's job.
 */
public final class CodeGenerator {

    static final String ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz";

    private final int length;

    private final Aliases aliases;

    private final Random random;

    public CodeGenerator(int length, Aliases aliases) {
        this(length, aliases, new SecureRandom());
    }

    CodeGenerator(int length, Aliases aliases, Random random) {
        if (length < 3 || length > 64) {
            throw new IllegalArgumentException("A code has 3 to 64 characters, not " + length);
        }
        this.length = length;
        this.aliases = aliases;
        this.random = random;
    }

    public ShortCode next() {
        String code;
        do {
            StringBuilder chars = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                chars.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            code = chars.toString();
        }
        while (aliases.isReserved(code));
        return ShortCode.of(code);
    }

}
