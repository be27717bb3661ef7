package dev.steady.autoconfigure.client;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.http.HttpResources;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * Puts a Steady pool in place of Reactor Netty's global connection pool, once per
 * application context, before Spring's {@code ReactorResourceFactory} captures the global
 * resources. When that factory manages the global resources it disposes the pool at
 * shutdown; otherwise this bean does, putting back a pool like Reactor Netty's default.
 */
final class SteadyGlobalPool implements InitializingBean, DisposableBean {

	private static final Log logger = LogFactory.getLog(SteadyGlobalPool.class);

	/** Reactor Netty's own name of its global pool, put back at shutdown. */
	private static final String REACTOR_NETTY_GLOBAL_POOL = "http";

	/** Size of Reactor Netty's own global pool. */
	private static final int REACTOR_NETTY_GLOBAL_POOL_SIZE = Math.max(ConnectionProvider.DEFAULT_POOL_MAX_CONNECTIONS,
			500);

	private final ConnectionProvider pool;

	private volatile boolean disposedWithGlobalResources;

	SteadyGlobalPool(ConnectionProvider pool) {
		this.pool = pool;
	}

	@Override
	public void afterPropertiesSet() {
		HttpResources.set(this.pool);
		logger.info("Steady: hand-made clients (WebClient.create(), HttpClient.create()) now use pool '"
				+ this.pool.name() + "' in place of Reactor Netty's global pool, with steady.client-defaults.pool.* "
				+ "settings, shown as client 'global'; set steady.global.enabled=false to keep Reactor Netty's");
	}

	/**
	 * Leave the disposal of the pool to Spring's {@code ReactorResourceFactory}, which
	 * disposes the global resources when it stops.
	 */
	void disposedWithGlobalResources() {
		this.disposedWithGlobalResources = true;
	}

	@Override
	public void destroy() {
		if (!this.disposedWithGlobalResources) {
			// replacing the global pool disposes this one, once
			HttpResources.set(ConnectionProvider.create(REACTOR_NETTY_GLOBAL_POOL, REACTOR_NETTY_GLOBAL_POOL_SIZE));
		}
	}

}
