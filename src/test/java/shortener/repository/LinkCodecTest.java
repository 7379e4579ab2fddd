package shortener.repository;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import shortener.ShortCode;
import shortener.domain.Link;
import shortener.domain.TargetUrl;

class LinkCodecTest {

    private static final ShortCode CODE = ShortCode.of("abc1234");

    private static final Instant CREATED = Instant.parse("2026-03-01T10:15:30.123456Z");

    @Test
    void readsBackEveryFieldOfALinkWithoutLimits() {
        Link link = new Link(CODE, TargetUrl.parse("https://example.com/a?b=c&d=e#f"), false, CREATED, null, null, null,
                false);

        assertThat(LinkCodec.decode(CODE, LinkCodec.encode(link), 0)).isEqualTo(link);
    }

    @Test
    void readsBackEveryFieldOfALinkWithAllOfThem() {
        Link link = new Link(CODE, TargetUrl.parse("https://example.com/caf%C3%A9/ü"), true, CREATED,
                Instant.parse("9999-12-31T23:59:59.999999Z"), 9_007_199_254_740_993L, true, true);

        assertThat(LinkCodec.decode(CODE, LinkCodec.encode(link), 0)).isEqualTo(link);
        assertThat(LinkCodec.decode(CODE, LinkCodec.encode(link.switchedOff(false).limitedTo(1L)), 0).maxClicks())
            .isEqualTo(1L);
    }

    @Test
    void tellsATemporaryRedirectFromTheDefault() {
        Link temporary = new Link(CODE, TargetUrl.parse("http://example.com"), false, CREATED, null, null, false,
                false);

        assertThat(LinkCodec.decode(CODE, LinkCodec.encode(temporary), 0).permanentRedirect()).isFalse();
    }

    @Test
    void readsAnEntryBehindAnOutcomeLetter() {
        Link link = new Link(CODE, TargetUrl.parse("https://example.com/x"), false, CREATED, null, 5L, null, false);

        assertThat(LinkCodec.decode(CODE, "T" + LinkCodec.encode(link), 1)).isEqualTo(link);
    }

    @Test
    void readsNothingFromAnEntryInAnotherForm() {
        assertThat(LinkCodec.decode(CODE, "{\"code\":\"abc1234\",\"target\":\"https://example.com/\"}", 0)).isNull();
        assertThat(LinkCodec.decode(CODE, "L1 5 -", 0)).isNull();
        assertThat(LinkCodec.decode(CODE, "L1 5 - --", 0)).isNull();
    }

}
