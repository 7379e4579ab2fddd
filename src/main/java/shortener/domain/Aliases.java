package shortener.domain;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import shortener.ShortCode;

/**
 * The rules for custom aliases: a valid code that is not a reserved word (ignoring case).
 */
public final class Aliases {

    private final Set<String> reserved;

    public Aliases(Collection<String> reservedWords) {
        this.reserved = reservedWords.stream()
            .map(word -> word.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The alias as a code, or {@link InvalidLinkException} saying which rule it breaks.
     */
    public ShortCode validate(String alias) {
        if (!ShortCode.isValid(alias)) {
            throw new InvalidLinkException("alias", "must be 3 to 64 characters of letters, digits, _ and -");
        }
        if (isReserved(alias)) {
            throw new InvalidLinkException("alias", "is a reserved word");
        }
        return ShortCode.of(alias);
    }

    public boolean isReserved(String code) {
        return reserved.contains(code.toLowerCase(Locale.ROOT));
    }

}
