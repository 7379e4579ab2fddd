package quartet.resilience;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The raw material of the bad-input test: values a careless or hostile client sends. Kept
 * as plain tables so a failure names the exact input, and picked with a seeded
 * {@link Random} so a failing run can be repeated.
 */
final class HostileInputs {

    /**
     * Loopback, private and metadata destinations in the forms SSRF filters tend to miss.
     */
    // 127.0.0.1 as one decimal number
    static final List<String> SSRF_URLS = List.of("http://2130706433/hook", "http://0x7f000001/hook", // hexadecimal
            "http://0177.0.0.1/hook", // octal, as curl and browsers read it
            "http://127.1/hook", // short form
            "http://0/hook", // this host
            "http://[::ffff:127.0.0.1]/hook", // IPv4-mapped IPv6 loopback
            "http://[::ffff:7f00:1]/hook", "http://[::1]/hook", "http://[0:0:0:0:0:0:0:1]/hook",
            "http://[::127.0.0.1]/hook", // IPv4-compatible IPv6
            "http://[::ffff:0:127.0.0.1]/hook", // IPv4-translated IPv6
            "http://[64:ff9b:1::a9fe:a9fe]/hook", // local-use NAT64 prefix
            "http://[64:ff9b::a9fe:a9fe]/hook", // NAT64 of the metadata address
            "http://[fd00:ec2::254]/latest/meta-data/", // AWS metadata over IPv6
            "http://169.254.169.254/latest/meta-data/", "http://[::ffff:169.254.169.254]/latest/meta-data/",
            "http://metadata.google.internal/computeMetadata/v1/", "http://10.0.0.1/hook", "http://192.168.1.1/hook",
            "http://172.16.0.1/hook", "http://100.64.0.1/hook", // carrier-grade NAT
            // a public name that resolves to 127.0.0.1 (when DNS answers)
            "http://0.0.0.0/hook", "http://localtest.me/hook", "http://user:pass@example.com/hook",
            "http://127.0.0.1.nip.io/hook");

    /** URLs that are not URLs, or not http(s). */
    static final List<String> BROKEN_URLS = List.of("", " ", "hook", "/relative/path", "//no-scheme.example/x",
            "http://", "http:///x", "https://[::1/x", "http://exa mple.com/", "http://example.com:99999/",
            "http://example.com:-1/", "javascript:alert(1)", "file:///etc/passwd", "ftp://example.com/x",
            "gopher://127.0.0.1:6379/_PING", "data:text/plain,hi", "http://\u0000evil/", "http://%00/",
            "http://ex%41mple.com/", "http://例え.テスト/", "h\ttp://x/", "http://example.com/" + "a".repeat(3000),
            "HTTP://EXAMPLE.COM/", "http://[v1.x]/");

    /** Whole request bodies that are not the JSON anything expects. */
    static List<String> malformedBodies() {
        List<String> bodies = new ArrayList<>(List.of("", " ", "{", "}", "{]", "[", "null", "true", "0", "-1",
                "\"text\"", "[]", "[{}]", "{}", "{\"a\":}", "{\"a\" 1}", "{'single':'quotes'}", "{\"a\":1,}",
                "{\"a\":NaN}", "{\"a\":Infinity}", "{\"a\":01}", "{\"a\":\"\\ud800\"}", "\u0000", "\uFEFF{}",
                "{\"a\":1}{\"b\":2}", "<xml/>", "a=1&b=2", "{\"__proto__\":{\"admin\":true}}", "{\"a\":1e999999}",
                "{\"a\":" + "9".repeat(5000) + "}"));
        // deeper than any parser's nesting limit
        bodies.add("[".repeat(5000) + "]".repeat(5000));
        bodies.add("{\"a\":".repeat(2000) + "1" + "}".repeat(2000));
        // above the 1 MB body limit
        bodies.add("{\"a\":\"" + "x".repeat(2_000_000) + "\"}");
        // one field repeated 50 000 times
        bodies.add("{" + "\"k\":1,".repeat(50_000) + "\"k\":1}");
        return Collections.unmodifiableList(bodies);
    }

    /** JSON values to put where a field's proper value belongs. */
    static final List<String> WRONG_VALUES = List.of("null", "\"\"", "\" \"", "0", "-1", "1.5", "-0.0", "12.99",
            "1.2e1", "1.0", "\"12\"", "2147483648", "false", "9223372036854775807", "9223372036854775808",
            "-9223372036854775809", "1e308", "true", "[]", "{}", "[1,2]", "{\"nested\":{\"deeper\":[null]}}",
            "\"" + "x".repeat(300_000) + "\"", "\"\\u0000\"", "\"'; DROP TABLE payments.payments; --\"",
            "\"${jndi:ldap://127.0.0.1/a}\"", "\"<script>alert(1)</script>\"", "\"\\ud83d\\ude00\"",
            "\"2020-13-45T25:61:61Z\"", "\"P-1D\"", "\"PT-1S\"", "\"P999999999999D\"", "\"+999999999-12-31T23:59:59Z\"",
            "\"EUR\"", "\"eur\"", "\"XXX\"", "\"00000000-0000-0000-0000-000000000000\"", "\"not-a-uuid\"", "\"*\"",
            "\"a..b\"", "\"pm_card_visa\"");

    /** Values for path variables. */
    static final List<String> PATH_VALUES = List.of("not-a-uuid", "0", "-1", "00000000-0000-0000-0000-000000000000",
            "%00", "%2e%2e%2f%2e%2e", "..", "%E2%82%AC", "null", "a".repeat(3000), "%20", "abc", "aa", "a_b-c",
            "%27%20OR%201%3D1", "%ZZ", "12345678-1234-1234-1234-1234567890123");

    /** Query strings that list endpoints should refuse or ignore. */
    static final List<String> QUERIES = List.of("page=-1", "size=0", "size=100000", "page=abc", "size=1e3",
            "page=99999999999", "limit=0", "limit=501", "limit=x", "status=BOGUS", "status=", "messageId=nope",
            "endpointId=%00", "orderId=not-a-uuid", "orderId=", "format=gif", "size=10&size=20",
            "format=svg&size=99999", "page=2147483648");

    static final List<String> API_KEYS = List.of("", " ", "wrong-key", "demo-key-change-me ", "DEMO-KEY-CHANGE-ME",
            "x".repeat(10_000), "démo", "Bearer demo-key-change-me");

    static final List<String> IDEMPOTENCY_KEYS = List.of("", " ", "\"\"", "k".repeat(256), "with space", "tab\tinside",
            "ключ", "\"quoted\"", "x".repeat(8_000));

    static final List<String> FORWARDED_FOR = List.of("", "garbage", "999.999.999.999", "::::", "1.2.3.4, , ,",
            "unknown", "fe80::1%eth0", "[::1]:80", "1.2.3.4:8080", "127.0.0.1, 10.0.0.1, 192.168.0.1",
            String.join(",", Collections.nCopies(500, "1.2.3.4")), "-1.0.0.0", "0x7f.1", "2130706433");

    private HostileInputs() {
    }

    static <T> T pick(Random random, List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

}
