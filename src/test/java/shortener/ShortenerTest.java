package shortener;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import quartet.QuartetApplication;

/**
 * The shortener's integration tests share one application context (real engines, a
 * movable clock).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = QuartetApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(MovableClock.Configuration.class)
public @interface ShortenerTest {

}
