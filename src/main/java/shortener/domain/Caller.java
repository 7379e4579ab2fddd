package shortener.domain;

/**
 * The API client a management request acts for. A link belongs to the client that created
 * it: every query for the API names the caller, and another client's link is simply not
 * found (404, never 403, so no client learns which codes others use). An admin sees and
 * manages every link. Redirects have no caller.
 *
 * @param client the client's name, the name its API key is configured under
 * @param admin whether the client has the admin role
 */
public record Caller(String client, boolean admin) {

    public Caller {
        if (client == null || client.isBlank()) {
            throw new IllegalArgumentException("A caller needs a client name");
        }
    }
}
