package shortener.repository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The shortener's Lua scripts, read once from this module's class loader and handed to
 * Redis as text. A script built on a class-path resource checks the resource's
 * modification time on every call (a jar lookup on the redirect path) through whichever
 * thread's context class loader built it, which fails once that loader is gone.
 */
final class LuaScripts {

    private LuaScripts() {
    }

    static <T> RedisScript<T> load(String path, Class<T> resultType) {
        try {
            return RedisScript.of(new ClassPathResource(path, LuaScripts.class.getClassLoader())
                .getContentAsString(StandardCharsets.UTF_8), resultType);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
