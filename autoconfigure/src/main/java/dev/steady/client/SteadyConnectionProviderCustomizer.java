package dev.steady.client;

import reactor.netty.resources.ConnectionProvider;

/**
 * Last word on a Steady connection pool before it is built: declare beans of this type to
 * set what Steady's properties do not cover. Applied in {@code @Order} order, after every
 * property, to the default client's pool and to each named client's pool.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface SteadyConnectionProviderCustomizer {

	/**
	 * Customize the pool builder of one client.
	 * @param clientName the client's name ({@value SteadyClients#DEFAULT_CLIENT} for the
	 * client behind Boot's {@code WebClient.Builder})
	 * @param builder the pool builder, with every Steady setting already applied
	 */
	void customize(String clientName, ConnectionProvider.Builder builder);

}
