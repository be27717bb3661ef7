package dev.steady.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A WebFlux application that uses the Steady starter the way a user would: the starter on
 * the classpath, a {@code steady.*} block in {@code application.yml}, Boot's
 * {@code WebClient.Builder} and the {@code SteadyClients} bean injected where needed.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
