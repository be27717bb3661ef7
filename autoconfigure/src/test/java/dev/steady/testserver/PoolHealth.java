package dev.steady.testserver;

import java.util.Map;

import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.context.ApplicationContext;

/**
 * Reads a Steady client's pools the way a user sees them: through the health endpoint's
 * {@code steady} component.
 */
public final class PoolHealth {

	private PoolHealth() {
	}

	/**
	 * The pool details of one client's pool for one host.
	 * @param context the application context
	 * @param client the client's name
	 * @param port the host's port on {@code 127.0.0.1}
	 * @return the details ({@code acquired}, {@code idle}, {@code maxConnections}, ...), empty
	 * when health shows no such pool
	 */
	public static Map<String, Object> host(ApplicationContext context, String client, int port) {
		Object host = hosts(context, client).get("127.0.0.1:" + port);
		return (host != null) ? castMap(host) : Map.of();
	}

	/**
	 * The pools of one client by host.
	 * @param context the application context
	 * @param client the client's name
	 * @return the details of each host's pool, empty when health shows no such client
	 */
	public static Map<String, Object> hosts(ApplicationContext context, String client) {
		CompositeHealthDescriptor steady = (CompositeHealthDescriptor) context.getBean(HealthEndpoint.class)
			.healthForPath("steady");
		IndicatedHealthDescriptor member = (IndicatedHealthDescriptor) steady.getComponents().get(client);
		return (member != null) ? castMap(member.getDetails().get("hosts")) : Map.of();
	}

	/**
	 * Whether a client holds no connection to a host, neither leased nor idle in its pool.
	 * @param context the application context
	 * @param client the client's name
	 * @param port the host's port on {@code 127.0.0.1}
	 * @return whether its pool for that host is empty
	 */
	public static boolean holdsNoConnection(ApplicationContext context, String client, int port) {
		Map<String, Object> host = host(context, client, port);
		return Integer.valueOf(0).equals(host.get("acquired")) && Integer.valueOf(0).equals(host.get("idle"));
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> castMap(Object map) {
		return (Map<String, Object>) map;
	}

}
