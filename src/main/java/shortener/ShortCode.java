package shortener;

import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The path segment that identifies a short link: 3 to 64 characters of letters, digits,
 * underscore and hyphen. Case-sensitive. Whether a code may be chosen as a custom alias
 * (reserved words) is decided when a link is created, not here.
 *
 * @param value the code as it appears in the short URL
 */
public record ShortCode(@JsonValue String value) {

    /**
     * The characters and lengths a code may have; the redirect route uses the same
     * expression.
     */
    public static final String PATTERN = "[A-Za-z0-9_-]{3,64}";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    public ShortCode {
        if (value == null || !VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("A short code is 3 to 64 characters of letters, digits, _ and -");
        }
    }

    @JsonCreator
    public static ShortCode of(String value) {
        return new ShortCode(value);
    }

    public static boolean isValid(String value) {
        return value != null && VALID.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
