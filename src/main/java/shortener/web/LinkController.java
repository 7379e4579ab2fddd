package shortener.web;

import java.net.URI;
import java.time.Clock;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import shortener.ShortCode;
import shortener.domain.Link;
import shortener.domain.LinkStatistics;
import shortener.service.LinkPage;
import shortener.service.LinkService;

/**
 * The link management API (API key required, like all of /api). Every route acts for the
 * client of the key: a link another client created answers 404, and lists show the
 * client's own links; an admin key sees and manages all.
 */
@RestController
@RequestMapping("/api/links")
class LinkController {

    private static final String CODE = "/{code:" + ShortCode.PATTERN + "}";

    private static final MediaType SVG = MediaType.valueOf("image/svg+xml");

    private final LinkService links;

    private final ShortUrls urls;

    private final QrCodes qrCodes;

    private final Clock clock;

    LinkController(LinkService links, ShortUrls urls, QrCodes qrCodes, Clock clock) {
        this.links = links;
        this.urls = urls;
        this.qrCodes = qrCodes;
        this.clock = clock;
    }

    @PostMapping
    ResponseEntity<LinkView> create(@Valid @RequestBody LinkRequests.Create request, Authentication client) {
        Link link = links.create(request.toNewLink(), Callers.of(client));
        return ResponseEntity.created(URI.create("/api/links/" + link.code().value())).body(view(link));
    }

    @GetMapping(CODE)
    LinkView read(@PathVariable String code, Authentication client) {
        return view(links.find(ShortCode.of(code), Callers.of(client)));
    }

    /**
     * One page of links, newest first.
     *
     * @param links the links on this page
     * @param page the page number, from 0
     * @param size the page size
     * @param totalLinks how many links the caller has (every client's, for an admin)
     */
    record Page(List<LinkView> links, int page, int size, long totalLinks) {
    }

    @GetMapping
    Page list(@RequestParam(defaultValue = "0") @Min(0) int page,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int size, Authentication client) {
        LinkPage found = links.page(page, size, Callers.of(client));
        return new Page(found.links().stream().map(this::view).toList(), found.page(), found.size(),
                found.totalLinks());
    }

    @PatchMapping(CODE)
    LinkView change(@PathVariable String code, @Valid @RequestBody LinkRequests.Change request, Authentication client) {
        return view(links.change(ShortCode.of(code), request.toChanges(), Callers.of(client)));
    }

    @DeleteMapping(CODE)
    ResponseEntity<Void> delete(@PathVariable String code, Authentication client) {
        links.delete(ShortCode.of(code), Callers.of(client));
        return ResponseEntity.noContent().build();
    }

    @GetMapping(CODE + "/stats")
    LinkStatistics statistics(@PathVariable String code, Authentication client) {
        return links.statistics(ShortCode.of(code), Callers.of(client));
    }

    @GetMapping(CODE + "/qr")
    ResponseEntity<?> qrCode(@PathVariable String code,
            @RequestParam(defaultValue = "png") @Pattern(regexp = "png|svg") String format,
            @RequestParam(defaultValue = "256") @Min(64) @Max(1024) int size, Authentication client) {
        ShortCode shortCode = links.find(ShortCode.of(code), Callers.of(client)).code();
        String url = urls.of(shortCode).toString();
        return format.equals("svg") ? ResponseEntity.ok().contentType(SVG).body(qrCodes.svg(url, size))
                : ResponseEntity.ok().contentType(MediaType.IMAGE_PNG).body(qrCodes.png(url, size));
    }

    private LinkView view(Link link) {
        return LinkView.of(link, urls, clock.instant());
    }

}
