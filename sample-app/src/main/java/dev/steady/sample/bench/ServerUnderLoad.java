package dev.steady.sample.bench;

import java.io.IOException;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The application the server section of the benchmark loads, in a JVM of its own:
 * {@link MinimalApplication} with Steady's auto-configurations and one trivial endpoint,
 * {@value #PATH}, which answers {@code hello}. The arguments are properties
 * ({@code key=value}) that switch Steady's server features. Prints the port on a line of its
 * own and runs until its standard input closes.
 */
public final class ServerUnderLoad {

	/** The trivial endpoint. */
	static final String PATH = "/hello";

	/** Start of the line that carries the port. */
	static final String PORT = "server-port=";

	private ServerUnderLoad() {
	}

	public static void main(String[] args) throws IOException {
		String[] properties = new String[args.length + 2];
		System.arraycopy(args, 0, properties, 0, args.length);
		properties[args.length] = "server.port=0";
		properties[args.length + 1] = "server.address=127.0.0.1";
		try (ConfigurableApplicationContext context = MinimalApplication
			.builder(WebApplicationType.REACTIVE, true, properties)
			.initializers((ConfigurableApplicationContext created) -> ((GenericApplicationContext) created)
				.registerBean("helloRoute", RouterFunction.class, ServerUnderLoad::helloRoute))
			.run()) {
			System.out.println(PORT + ((WebServerApplicationContext) context).getWebServer().getPort());
			System.out.flush();
			while (System.in.read() != -1) {
				// runs until the benchmark closes the pipe
			}
		}
	}

	private static RouterFunction<ServerResponse> helloRoute() {
		return RouterFunctions.route()
			.GET(PATH, (request) -> ServerResponse.ok().bodyValue("hello"))
			.build();
	}

}
