package shortener.domain;

/** Whether a link redirects, and if not, why. */
public enum LinkState {

    /** Redirects. */
    ACTIVE,
    /** Its expiry time has passed. */
    EXPIRED,
    /** It served as many redirects as its click limit allows. */
    EXHAUSTED,
    /** Its owner switched it off. */
    DISABLED

}
