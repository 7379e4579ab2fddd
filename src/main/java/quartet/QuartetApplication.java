package quartet;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class QuartetApplication {
    public static void main(String[] args) {
        SpringApplication.run(QuartetApplication.class, args);
    }
}
