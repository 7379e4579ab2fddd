package quartet.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApiKeysTest {

    private static final String ALICE_OLD = "alice-old-key";

    private static final String ALICE_NEW = "alice-new-key";

    /** What {@code printf %s "$KEY" | sha256sum} prints. */
    private static String sha256sum(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    static Stream<Arguments> presentedKeys() {
        List<String> configured = List.of("alice=" + ALICE_OLD, "alice=sha256:" + sha256sum(ALICE_NEW),
                "bob=sha256:" + sha256sum("bob-key").toUpperCase(), "  carol = carol-key  ", "", "dave=key=with=equals",
                "bare-key");
        return Stream.of(Arguments.of(configured, ALICE_OLD, Optional.of("alice")),
                Arguments.of(configured, ALICE_NEW, Optional.of("alice")),
                Arguments.of(configured, "bob-key", Optional.of("bob")),
                Arguments.of(configured, "carol-key", Optional.of("carol")),
                Arguments.of(configured, "key=with=equals", Optional.of("dave")),
                Arguments.of(configured, "bare-key", Optional.of("key-" + sha256sum("bare-key").substring(0, 12))),
                // The digest itself is not a key: only what hashes to it is.
                Arguments.of(configured, "sha256:" + sha256sum(ALICE_NEW), Optional.empty()),
                Arguments.of(configured, sha256sum(ALICE_NEW), Optional.empty()),
                Arguments.of(configured, "alice-old-ke", Optional.empty()),
                Arguments.of(configured, "", Optional.empty()), Arguments.of(List.of(), ALICE_OLD, Optional.empty()));
    }

    @ParameterizedTest
    @MethodSource("presentedKeys")
    void findsTheClientAKeyOrDigestBelongsTo(List<String> configured, String presented, Optional<String> client) {
        assertThat(ApiKeys.parse(configured).clientFor(presented)).isEqualTo(client);
    }

    static Stream<Arguments> malformedEntries() {
        String digest = sha256sum("k");
        return Stream.of(Arguments.of(List.of("=k"), "api-keys[0] has an empty client name"),
                Arguments.of(List.of("ok=k", " = x"), "api-keys[1] has an empty client name"),
                Arguments.of(List.of("alice="), "api-keys[0] (client alice) has an empty key"),
                Arguments.of(List.of("al ice=k"), "api-keys[0] (client al ice) has a client name that is not"),
                Arguments.of(List.of("-alice=k"), "has a client name that is not"),
                Arguments.of(List.of("alice=sha256:" + digest.substring(1)),
                        "api-keys[0] (client alice) has a sha256: digest of 63 characters"),
                Arguments.of(List.of("alice=sha256:" + digest + "0"), "digest of 65 characters"),
                Arguments.of(List.of("alice=sha256:"), "digest of 0 characters"),
                Arguments.of(List.of("alice=sha256:" + "g" + digest.substring(1)),
                        "characters that are not hex digits"),
                Arguments.of(List.of("alice=k", "bob=k"),
                        "api-keys[1] (client bob) has the same key as quartet.platform.api-keys[0] (client alice)"),
                Arguments.of(List.of("alice=k", "x=y", "bob=sha256:" + digest),
                        "api-keys[2] (client bob) has the same key as quartet.platform.api-keys[0] (client alice)"));
    }

    @ParameterizedTest
    @MethodSource("malformedEntries")
    void refusesAMalformedListNamingTheEntryButNeverTheKey(List<String> configured, String message) {
        assertThatThrownBy(() -> ApiKeys.parse(configured)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(message)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain(sha256sum("k").substring(0, 20), "=k"));
    }

    @Test
    void acceptsTheSameKeyTwiceForOneClient() {
        ApiKeys keys = ApiKeys.parse(List.of("alice=k", "alice=sha256:" + sha256sum("k")));

        assertThat(keys.clientFor("k")).hasValue("alice");
        assertThat(keys.clients()).containsExactly("alice");
    }

    @Test
    void listsEachClientOnceInConfigurationOrder() {
        assertThat(ApiKeys.parse(List.of("bob=1", "alice=2", "bob=3")).clients()).containsExactly("bob", "alice");
    }

}
