package dev.steady.sample.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The applications the server section of the benchmark loads, all in one JVM of their own:
 * one {@link MinimalApplication} context per argument, each with Steady's auto-configurations
 * and one trivial endpoint, {@value #PATH}, which answers {@code hello}. An argument is a
 * comma-separated list of properties ({@code key=value}, empty for none) that switch Steady's
 * server features for its context. The contexts share the JVM's compiled code and Reactor
 * Netty's event loops, so they differ only in their server settings. Prints each context's
 * port on a line of its own, in the order of the arguments, and runs until its standard input
 * closes.
 */
public final class ServerUnderLoad {

	/** The trivial endpoint. */
	static final String PATH = "/hello";

	/** Start of the line that carries a context's port. */
	static final String PORT = "server-port=";

	private ServerUnderLoad() {
	}

	public static void main(String[] variants) throws IOException {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try {
			for (String variant : variants) {
				ConfigurableApplicationContext context = start(variant);
				contexts.add(context);
				System.out.println(PORT + ((WebServerApplicationContext) context).getWebServer().getPort());
				System.out.flush();
			}
			while (System.in.read() != -1) {
				// runs until the benchmark closes the pipe
			}
		}
		finally {
			contexts.forEach(ConfigurableApplicationContext::close);
		}
	}

	private static ConfigurableApplicationContext start(String variant) {
		List<String> properties = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1"));
		if (!variant.isBlank()) {
			properties.addAll(List.of(variant.split(",")));
		}
		return MinimalApplication.builder(WebApplicationType.REACTIVE, true, properties.toArray(String[]::new))
			.initializers((ConfigurableApplicationContext created) -> ((GenericApplicationContext) created)
				.registerBean("helloRoute", RouterFunction.class, ServerUnderLoad::helloRoute))
			.run();
	}

	private static RouterFunction<ServerResponse> helloRoute() {
		return RouterFunctions.route()
			.GET(PATH, (request) -> ServerResponse.ok().bodyValue("hello"))
			.build();
	}

}
