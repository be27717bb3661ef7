package dev.steady.sample.demo;

import java.time.Duration;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demonstration's beans: the unfriendly upstream, the comparison, and the optional
 * comparison at startup ({@code --sample.demo.compare-on-start=true}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DemoProperties.class)
class DemoConfiguration {

	private static final Log logger = LogFactory.getLog(DemoConfiguration.class);

	@Bean
	UnfriendlyUpstream unfriendlyUpstream(DemoProperties properties) {
		return new UnfriendlyUpstream(properties.getUpstream());
	}

	@Bean
	BurstComparison burstComparison(UnfriendlyUpstream upstream, MeterRegistry meters) {
		return new BurstComparison(upstream, meters);
	}

	@Bean
	@ConditionalOnBooleanProperty("sample.demo.compare-on-start")
	ApplicationRunner compareOnStart(CompareController compare, DemoProperties properties) {
		return (args) -> {
			logger.info("Comparing a plain WebClient.create() with Steady's client against an upstream that forgets "
					+ "connections idle for " + properties.getUpstream().getIdleTimeout().toMillis() + " ms ...");
			Map<String, ClientReport> reports = compare.compareNow(2000, 500, Duration.ofMillis(1100));
			logger.info("2000 requests (GET and POST), bursts of 500, 1.1 s apart:" + System.lineSeparator()
					+ ComparisonTable.render(reports));
		};
	}

}
