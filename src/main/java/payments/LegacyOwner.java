package payments;

/**
 * The owner of what was stored, or published, before resources had owners: the demo
 * client (see migration V8 of payments). An event read from the registry or a topic
 * without an owner was published then, about a resource that migration gave to this
 * client.
 */
final class LegacyOwner {

    static final String CLIENT = "demo";

    private LegacyOwner() {
    }

    static String orLegacy(String owner) {
        return owner == null ? CLIENT : owner;
    }

}
