package quartet.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The configured API keys, kept only as SHA-256 digests. A presented key is compared with
 * every one in constant time, so neither the match position nor a key's length leaks.
 */
final class ApiKeys {

    private record Entry(String client, byte[] digest) {
    }

    private final List<Entry> entries;

    ApiKeys(List<String> configured) {
        this.entries = configured.stream().filter(value -> !value.isBlank()).map(ApiKeys::entry).toList();
    }

    /** The client the key belongs to, if it is one of ours. */
    Optional<String> clientFor(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        String match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), presented) && match == null) {
                match = entry.client();
            }
        }
        return Optional.ofNullable(match);
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    private static Entry entry(String value) {
        int separator = value.indexOf('=');
        String key = separator < 0 ? value : value.substring(separator + 1);
        byte[] digest = sha256(key);
        // Without a name, a client is known by a digest prefix: never by the key itself.
        String client = separator < 0 ? "key-" + HexFormat.of().formatHex(digest, 0, 6) : value.substring(0, separator);
        return new Entry(client, digest);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
