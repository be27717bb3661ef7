package dev.steady.autoconfigure.server;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

import com.sun.management.UnixOperatingSystemMXBean;

import dev.steady.autoconfigure.StartupFailures;
import dev.steady.server.internal.BodyTimeoutExceptionHandler;
import dev.steady.server.internal.ConnectionLimiter;
import dev.steady.server.internal.Http2Limits;
import dev.steady.server.internal.ServerConnectionSettings;
import dev.steady.tcp.TcpKeepAliveOptions;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http2.Http2CodecUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.netty.ConnectionObserver;
import reactor.netty.NettyPipeline;
import reactor.netty.http.Http2SettingsSpec;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerConfig;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class SteadyServerAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
				SteadyServerAutoConfiguration.class));

	@Test
	void defaultsArePinned() {
		this.contextRunner.run((context) -> {
			ServerConnectionSettings settings = context.getBean(ServerConnectionSettings.class);
			assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(settings.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(settings.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(settings.maxKeepAliveRequests()).isZero();
			assertThat(settings.maxConnections()).isEqualTo(eightyPercentOfTheOpenFileLimit());
			assertThat(settings.advertiseKeepAlive()).isTrue();
			assertThat(settings.tcpKeepAlive())
				.isEqualTo(new TcpKeepAliveOptions(true, Duration.ofSeconds(60), Duration.ofSeconds(10), 3));
			assertThat(context.getBean(ConnectionLimiter.class).maxConnections()).isEqualTo(settings.maxConnections());
			assertThat(context).hasSingleBean(BodyTimeoutExceptionHandler.class);
			// RFC 9113's recommended minimum, Netty's own default; Netty's server RST limit: 200 per 30 s
			assertThat(settings.http2()).isEqualTo(new Http2Limits(Http2CodecUtil.SMALLEST_MAX_CONCURRENT_STREAMS,
					200, Duration.ofSeconds(30)));
		});
	}

	@Test
	void http2ServerGetsSteadysStreamAndResetLimitsBesideBootsHeaderListSize() {
		this.contextRunner.withPropertyValues("server.http2.enabled=true", "server.max-http-request-header-size=16KB")
			.run((context) -> {
				Http2SettingsSpec http2 = builtServer(context, HttpProtocol.HTTP11, HttpProtocol.H2C)
					.http2SettingsSpec();
				assertThat(http2).isNotNull();
				assertThat(http2.maxHeaderListSize()).isEqualTo(16 * 1024);
				assertThat(http2.maxConcurrentStreams()).isEqualTo(100);
				assertThat(http2.maxDecodedRstFramesPerWindow()).isEqualTo(200);
				assertThat(http2.maxDecodedRstFramesSecondsPerWindow()).isEqualTo(30);
				assertThat(http2.maxEncodedRstFramesPerWindow()).isEqualTo(200);
				assertThat(http2.maxEncodedRstFramesSecondsPerWindow()).isEqualTo(30);
			});
	}

	@Test
	void http2PropertiesReachTheBuiltServer() {
		this.contextRunner
			.withPropertyValues("steady.server.http2.max-concurrent-streams=32", "steady.server.http2.max-reset-frames=50",
					"steady.server.http2.reset-frames-window=10s")
			.run((context) -> {
				Http2SettingsSpec http2 = builtServer(context, HttpProtocol.HTTP11, HttpProtocol.H2C)
					.http2SettingsSpec();
				assertThat(http2).isNotNull();
				assertThat(http2.maxConcurrentStreams()).isEqualTo(32);
				assertThat(http2.maxDecodedRstFramesPerWindow()).isEqualTo(50);
				assertThat(http2.maxDecodedRstFramesSecondsPerWindow()).isEqualTo(10);
				assertThat(http2.maxEncodedRstFramesPerWindow()).isEqualTo(50);
			});
	}

	@Test
	void applicationsHttp2SettingsWinOverSteadys() {
		this.contextRunner.withUserConfiguration(UserHttp2Settings.class)
			.withPropertyValues("steady.server.http2.max-concurrent-streams=32", "steady.server.http2.max-reset-frames=50")
			.run((context) -> {
				Http2SettingsSpec http2 = builtServer(context, HttpProtocol.HTTP11, HttpProtocol.H2C)
					.http2SettingsSpec();
				assertThat(http2).isNotNull();
				assertThat(http2.maxConcurrentStreams()).isEqualTo(500);
				assertThat(http2.initialWindowSize()).isEqualTo(1 << 20);
				assertThat(http2.pingAckTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(http2.maxDecodedRstFramesPerWindow()).isEqualTo(20);
				assertThat(http2.maxDecodedRstFramesSecondsPerWindow()).isEqualTo(5);
				assertThat(http2.maxEncodedRstFramesPerWindow()).as("left unset by the application").isEqualTo(50);
			});
	}

	@Test
	void http11ServerGetsNoHttp2Settings() {
		this.contextRunner
			.run((context) -> assertThat(builtServer(context, HttpProtocol.HTTP11).http2SettingsSpec()).isNull());
	}

	@Test
	void defaultMaxConnectionsIsEightyPercentOfTheOpenFileLimit() {
		assertThat(OpenFileLimit.maxConnections(OptionalLong.of(20_000))).isEqualTo(16_000);
		assertThat(OpenFileLimit.maxConnections(OptionalLong.empty())).isEqualTo(10_000);
	}

	@Test
	void openFileLimitIsTheSoftLimitOfProcLimits() {
		List<String> limits = List.of("Limit                     Soft Limit           Hard Limit           Units     ",
				"Max processes             63704                63704                processes ",
				"Max open files            1024                 524288               files     ");
		assertThat(OpenFileLimit.fromProcLimits(limits)).hasValue(1024);
		assertThat(OpenFileLimit.fromProcLimits(
				List.of("Max open files            unlimited            unlimited            files     ")))
			.isEmpty();
		assertThat(OpenFileLimit.fromProcLimits(List.of("Max processes  63704  63704  processes"))).isEmpty();
	}

	@Test
	void http11ServerLeavesTheTimeLimitsToSteadysConnectionHandlers() {
		this.contextRunner.run((context) -> {
			HttpServerConfig server = builtServer(context, HttpProtocol.HTTP11);
			assertThat(server.idleTimeout()).isNull();
			assertThat(server.readTimeout()).isNull();
			assertThat(server.requestTimeout()).isNull();
			assertThat(server.maxKeepAliveRequests()).isEqualTo(-1);
			EmbeddedChannel connection = acceptedConnection(server);
			assertThat(connection.pipeline().names()).containsSubsequence("steady.requestFirstByte",
					NettyPipeline.HttpCodec, "steady.keepAliveHeader", "steady.requestTimeLimit");
			assertThat(context.getBean(ConnectionLimiter.class).openConnections()).isOne();
			connection.finishAndReleaseAll();
			assertThat(context.getBean(ConnectionLimiter.class).openConnections()).isZero();
		});
	}

	@Test
	void serverThatAlsoSpeaksHttp2GetsTheTimeLimitsFromReactorNetty() {
		this.contextRunner.run((context) -> {
			HttpServerConfig server = builtServer(context, HttpProtocol.HTTP11, HttpProtocol.H2C);
			assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(server.readTimeout()).isEqualTo(Duration.ofSeconds(30));
			assertThat(server.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
		});
	}

	@Test
	void propertiesReachTheBuiltServer() {
		this.contextRunner
			.withPropertyValues("steady.server.idle-timeout=20s", "steady.server.request-header-timeout=4s",
					"steady.server.read-timeout=3s", "steady.server.request-timeout=9s",
					"steady.server.max-keep-alive-requests=100", "steady.server.max-connections=1234",
					"steady.server.advertise-keep-alive=false", "steady.server.tcp-keep-alive.enabled=false",
					"steady.server.tcp-keep-alive.idle=30s", "steady.server.tcp-keep-alive.interval=5s",
					"steady.server.tcp-keep-alive.count=5")
			.run((context) -> {
				ServerConnectionSettings settings = context.getBean(ServerConnectionSettings.class);
				assertThat(settings.requestHeaderTimeout()).isEqualTo(Duration.ofSeconds(4));
				assertThat(settings.maxConnections()).isEqualTo(1234);
				assertThat(settings.advertiseKeepAlive()).isFalse();
				assertThat(settings.tcpKeepAlive())
					.isEqualTo(new TcpKeepAliveOptions(false, Duration.ofSeconds(30), Duration.ofSeconds(5), 5));
				HttpServerConfig server = builtServer(context, HttpProtocol.HTTP11, HttpProtocol.H2C);
				assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(server.readTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(server.requestTimeout()).isEqualTo(Duration.ofSeconds(9));
				assertThat(server.maxKeepAliveRequests()).isEqualTo(100);
				assertThat(context.getBean(ConnectionLimiter.class).maxConnections()).isEqualTo(1234);
				EmbeddedChannel connection = acceptedConnection(builtServer(context, HttpProtocol.HTTP11));
				assertThat(connection.pipeline().names()).doesNotContain("steady.keepAliveHeader");
				connection.finishAndReleaseAll();
			});
	}

	@Test
	void bootsServerNettyValuesWinOverSteadys() {
		this.contextRunner
			.withPropertyValues("server.netty.idle-timeout=5s", "server.netty.max-keep-alive-requests=7",
					"steady.server.idle-timeout=30s", "steady.server.max-keep-alive-requests=100")
			.run((context) -> {
				ServerConnectionSettings settings = context.getBean(ServerConnectionSettings.class);
				assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(settings.maxKeepAliveRequests()).isEqualTo(7);
				HttpServerConfig server = builtServer(context);
				assertThat(server.idleTimeout()).isEqualTo(Duration.ofSeconds(5));
				assertThat(server.maxKeepAliveRequests()).isEqualTo(7);
			});
	}

	@Test
	void bootsValueWinsEvenWhenItEqualsItsDefault() {
		this.contextRunner.withPropertyValues("server.netty.max-keep-alive-requests=-1",
				"steady.server.max-keep-alive-requests=100")
			.run((context) -> {
				assertThat(context.getBean(ServerConnectionSettings.class).maxKeepAliveRequests()).isZero();
				assertThat(builtServer(context).maxKeepAliveRequests()).isEqualTo(-1);
			});
	}

	@Test
	void startupLogNamesTheSourceOfEveryValue(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("server.netty.idle-timeout=5s", "steady.server.read-timeout=3s",
					"steady.server.max-connections=99")
			.run((context) -> assertThat(output).contains("idle-timeout=5s (server.netty.idle-timeout)")
				.contains("request-header-timeout=10s (default)")
				.contains("read-timeout=3s (steady.server.read-timeout)")
				.contains("max-keep-alive-requests=unlimited (default)")
				.contains("max-connections=99 (steady.server.max-connections)")
				.contains("tcp-keep-alive.idle=60s (default)"));
	}

	@Test
	void steadysCustomizerRunsAfterTheApplicationsAndLeavesWhatTheySetToReactorNetty() {
		this.contextRunner.withUserConfiguration(UserServerCustomizer.class)
			.withPropertyValues("steady.server.read-timeout=3s", "steady.server.request-timeout=7s")
			.run((context) -> {
				HttpServerConfig server = builtServer(context);
				assertThat(server.readTimeout()).isEqualTo(Duration.ofMinutes(2));
				// run before the application's, Steady would not have seen its read timeout and would
				// enforce its own 3 s beside Reactor Netty's 2 min
				EmbeddedChannel connection = acceptedConnection(server);
				Object limits = ReflectionTestUtils.getField(connection.pipeline().get("steady.requestTimeLimit"),
						"limits");
				assertThat((Long) ReflectionTestUtils.invokeMethod(limits, "read")).as("Steady's own read limit")
					.isEqualTo(Long.MAX_VALUE);
				assertThat((Long) ReflectionTestUtils.invokeMethod(limits, "request")).as("Steady's own request limit")
					.isEqualTo(Duration.ofSeconds(7).toNanos());
				connection.finishAndReleaseAll();
			});
	}

	@Test
	void refusedConnectionsAreAMicrometerCounter() {
		this.contextRunner.withPropertyValues("steady.server.max-connections=1").run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(MeterBinder.class).bindTo(registry);
			HttpServerConfig server = builtServer(context, HttpProtocol.HTTP11);
			EmbeddedChannel admitted = acceptedConnection(server);
			EmbeddedChannel refused = acceptedConnection(server);
			assertThat(refused.isOpen()).isFalse();
			assertThat(registry.get("steady.server.connections.refused").functionCounter().count()).isEqualTo(1);
			admitted.finishAndReleaseAll();
		});
	}

	@Test
	void worksWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasSingleBean(ConnectionLimiter.class)
				.doesNotHaveBean(MeterBinder.class));
	}

	@Test
	void nonReactiveApplicationGetsNothing() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(NettyReactiveWebServerAutoConfiguration.class,
					SteadyServerAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServerConnectionSettings.class)
				.doesNotHaveBean(ConnectionLimiter.class)
				.doesNotHaveBean(BodyTimeoutExceptionHandler.class));
	}

	@Test
	void applicationWithoutReactorNettyGetsNothing() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ServerConnectionSettings.class));
	}

	@Test
	void disabledGetsNothing() {
		this.contextRunner.withPropertyValues("steady.server.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServerConnectionSettings.class)
				.doesNotHaveBean(ConnectionLimiter.class));
	}

	@Test
	void zeroDurationFailsNamingTheProperty() {
		assertStartupFailure("steady.server.request-header-timeout=0s", "steady.server.request-header-timeout",
				"PT0S");
	}

	@Test
	void negativeDurationFailsNamingTheProperty() {
		assertStartupFailure("steady.server.idle-timeout=-1s", "steady.server.idle-timeout", "PT-1S");
	}

	@Test
	void nonPositiveMaxConnectionsFailsNamingTheProperty() {
		assertStartupFailure("steady.server.max-connections=0", "steady.server.max-connections", "0");
	}

	@Test
	void negativeMaxKeepAliveRequestsFailsNamingTheProperty() {
		assertStartupFailure("steady.server.max-keep-alive-requests=-1", "steady.server.max-keep-alive-requests",
				"-1");
	}

	@Test
	void subSecondTcpKeepAliveIdleFailsNamingTheProperty() {
		assertStartupFailure("steady.server.tcp-keep-alive.idle=500ms", "steady.server.tcp-keep-alive.idle",
				"PT0.5S");
	}

	@Test
	void zeroProbeCountFailsNamingTheProperty() {
		assertStartupFailure("steady.server.tcp-keep-alive.count=0", "steady.server.tcp-keep-alive.count", "0");
	}

	@Test
	void zeroMaxConcurrentStreamsFailsNamingTheProperty() {
		assertStartupFailure("steady.server.http2.max-concurrent-streams=0", "steady.server.http2.max-concurrent-streams",
				"0");
	}

	@Test
	void negativeMaxResetFramesFailsNamingTheProperty() {
		assertStartupFailure("steady.server.http2.max-reset-frames=-1", "steady.server.http2.max-reset-frames", "-1");
	}

	@Test
	void subSecondResetFramesWindowFailsNamingTheProperty() {
		assertStartupFailure("steady.server.http2.reset-frames-window=500ms", "steady.server.http2.reset-frames-window",
				"PT0.5S");
	}

	private void assertStartupFailure(String property, String name, String value) {
		this.contextRunner.withPropertyValues(property)
			.run((context) -> StartupFailures.assertInvalidProperty(context, name, value));
	}

	/** The server the factory would start: its customizers applied in order to a bare one. */
	private static HttpServerConfig builtServer(ApplicationContext context) {
		return builtServer(context, HttpProtocol.HTTP11);
	}

	private static HttpServerConfig builtServer(ApplicationContext context, HttpProtocol... protocols) {
		HttpServer server = HttpServer.create().protocol(protocols);
		for (NettyServerCustomizer customizer : context.getBean(NettyReactiveWebServerFactory.class)
			.getServerCustomizers()) {
			server = customizer.apply(server);
		}
		return server.configuration();
	}

	/**
	 * A connection as the built server would set it up on accept: an HTTP/1.1 codec in
	 * place, then the server's channel initializers run on it.
	 */
	private static EmbeddedChannel acceptedConnection(HttpServerConfig server) {
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
		server.doOnChannelInit().onChannelInit(ConnectionObserver.emptyListener(), channel, null);
		return channel;
	}

	/** 80% of the open-file limit the JVM reports, worked out here, not by Steady's code. */
	private static long eightyPercentOfTheOpenFileLimit() {
		UnixOperatingSystemMXBean os = (UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
		return os.getMaxFileDescriptorCount() * 8 / 10;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserHttp2Settings {

		@Bean
		NettyServerCustomizer http2Settings() {
			return (server) -> server.http2Settings((http2) -> http2.maxConcurrentStreams(500)
				.initialWindowSize(1 << 20)
				.pingAckTimeout(Duration.ofSeconds(3))
				.maxDecodedRstFramesPerWindow(20, 5));
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserServerCustomizer {

		@Bean
		NettyServerCustomizer longReadTimeout() {
			return (server) -> server.readTimeout(Duration.ofMinutes(2));
		}

	}

}
