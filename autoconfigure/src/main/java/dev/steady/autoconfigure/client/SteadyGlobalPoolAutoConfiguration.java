package dev.steady.autoconfigure.client;

import dev.steady.client.ResolvedClient;
import dev.steady.client.internal.SteadyConnectionProviderFactory;
import reactor.netty.http.HttpResources;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Protects hand-made clients ({@code WebClient.create()}, {@code WebClient.builder().build()},
 * {@code HttpClient.create()}), which use Reactor Netty's global pool: that pool is replaced,
 * once per context, by a Steady pool named client {@code global}, with the
 * {@code steady.client-defaults.pool.*} settings and, since such clients have no retry, reuse of proven
 * idle times only for every request. It is in place before Spring's
 * {@code ReactorResourceFactory} captures the global resources, and disposed once at
 * shutdown. {@code steady.global.enabled=false} leaves Reactor Netty's global pool untouched.
 *
 * @since 0.2.0
 */
@AutoConfiguration(after = SteadyClientAutoConfiguration.class)
@ConditionalOnClass({ HttpResources.class, ReactorResourceFactory.class })
@ConditionalOnBooleanProperty(name = "steady.global.enabled", matchIfMissing = true)
@ConditionalOnBean(SteadyConnectionProviderFactory.class)
@EnableConfigurationProperties(SteadyGlobalProperties.class)
public final class SteadyGlobalPoolAutoConfiguration {

	/** Name of the client that the global pool appears as in health, meters and the endpoint. */
	static final String GLOBAL_CLIENT = "global";

	@Bean
	SteadyGlobalPool steadyGlobalPool(SteadyConnectionProviderFactory factory, ResolvedClient steadyDefaultClient) {
		ResolvedClient defaults = steadyDefaultClient;
		ResolvedClient global = new ResolvedClient(GLOBAL_CLIENT, defaults.propertyPrefix(), defaults.settings(),
				defaults.hostPools(), null);
		return new SteadyGlobalPool(factory.createWithoutRetry(global));
	}

	@Bean
	static BeanPostProcessor steadyGlobalPoolBeforeReactorResources(ObjectProvider<SteadyGlobalPool> globalPool) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof ReactorResourceFactory factory && factory.isUseGlobalResources()) {
					globalPool.getObject().disposedWithGlobalResources();
				}
				return bean;
			}
		};
	}

}
