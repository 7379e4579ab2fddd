package quartet.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The configured API keys, kept only as SHA-256 digests. Each entry is
 * {@code client=key}, {@code client=sha256:<64 hex digits>} (the digest of the key, so no
 * key sits in the configuration), or a bare key or digest without a client name. A client
 * may have several keys at once, which is how a key is rotated. A presented key is
 * compared with every entry in constant time, so neither the match position nor a key's
 * length leaks.
 */
final class ApiKeys {

    static final String DIGEST_PREFIX = "sha256:";

    private static final Pattern CLIENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]*");

    private static final int DIGEST_HEX_LENGTH = 64;

    /**
     * One accepted key: whose it is, its digest, and where it was configured (for error
     * messages).
     */
    private record Entry(String client, byte[] digest, int index) {
    }

    private final List<Entry> entries;

    private ApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Parses the configured entries; blank ones are skipped.
     * @throws IllegalArgumentException naming the entry (by index and client, never by
     * key) that is malformed, or two entries that give one key to different clients
     */
    static ApiKeys parse(List<String> configured) {
        List<Entry> entries = new ArrayList<>();
        for (int index = 0; index < configured.size(); index++) {
            String value = configured.get(index) == null ? "" : configured.get(index).trim();
            if (value.isEmpty()) {
                continue;
            }
            Entry entry = entry(value, index);
            for (Entry earlier : entries) {
                if (MessageDigest.isEqual(earlier.digest(), entry.digest())
                        && !earlier.client().equals(entry.client())) {
                    throw new IllegalArgumentException(where(entry) + " has the same key as " + where(earlier)
                            + ": a key belongs to one client only");
                }
            }
            entries.add(entry);
        }
        return new ApiKeys(entries);
    }

    /** The client the key belongs to, if it is one of ours. */
    Optional<String> clientFor(String presentedKey) {
        byte[] presented = sha256(presentedKey);
        String match = null;
        for (Entry entry : entries) {
            // isEqual runs first and on every entry: the time spent does not depend on
            // where the match is.
            if (MessageDigest.isEqual(entry.digest(), presented) && match == null) {
                match = entry.client();
            }
        }
        return Optional.ofNullable(match);
    }

    /** Every client that has at least one key, in configuration order. */
    Set<String> clients() {
        Set<String> clients = new LinkedHashSet<>();
        entries.forEach(entry -> clients.add(entry.client()));
        return clients;
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    private static Entry entry(String value, int index) {
        int separator = value.indexOf('=');
        String client = separator < 0 ? null : value.substring(0, separator).trim();
        String secret = separator < 0 ? value : value.substring(separator + 1).trim();
        String where = "quartet.platform.api-keys[" + index + "]"
                + (client == null || client.isEmpty() ? "" : " (client " + client + ")");
        if (client != null && client.isEmpty()) {
            throw new IllegalArgumentException(where + " has an empty client name before '='");
        }
        if (client != null && !CLIENT_NAME.matcher(client).matches()) {
            throw new IllegalArgumentException(
                    where + " has a client name that is not 1 to 64 letters, digits, '.', '_' or '-'"
                            + " starting with a letter or digit");
        }
        if (secret.isEmpty()) {
            throw new IllegalArgumentException(where + " has an empty key after '='");
        }
        byte[] digest = secret.startsWith(DIGEST_PREFIX) ? digest(secret.substring(DIGEST_PREFIX.length()), where)
                : sha256(secret);
        // Without a name, a client is known by a digest prefix: never by the key itself.
        return new Entry(client != null ? client : "key-" + HexFormat.of().formatHex(digest, 0, 6), digest, index);
    }

    private static byte[] digest(String hex, String where) {
        if (hex.length() != DIGEST_HEX_LENGTH) {
            throw new IllegalArgumentException(where + " has a " + DIGEST_PREFIX + " digest of " + hex.length()
                    + " characters; a SHA-256 digest is " + DIGEST_HEX_LENGTH
                    + " hex digits (printf %s \"$KEY\" | sha256sum)");
        }
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException(
                    where + " has a " + DIGEST_PREFIX + " digest with characters that are not hex digits");
        }
        return HexFormat.of().parseHex(hex);
    }

    private static String where(Entry entry) {
        return "quartet.platform.api-keys[" + entry.index() + "] (client " + entry.client() + ")";
    }

    static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

}
