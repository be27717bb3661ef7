package dev.steady.autoconfigure.server;

import java.time.Duration;
import java.util.Map;

import io.netty.handler.codec.http2.Http2CodecUtil;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

class SteadyServerPropertiesTests {

	private final SteadyServerProperties properties = new SteadyServerProperties();

	@Test
	void defaults() {
		assertThat(this.properties.isEnabled()).isTrue();
		assertThat(this.properties.getIdleTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(this.properties.getRequestHeaderTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.properties.getReadTimeout()).isEqualTo(Duration.ofSeconds(30));
		assertThat(this.properties.getRequestTimeout()).isEqualTo(Duration.ofSeconds(60));
		assertThat(this.properties.getMaxKeepAliveRequests()).isZero();
		assertThat(this.properties.getMaxConnections()).isNull();
		assertThat(this.properties.isAdvertiseKeepAlive()).isTrue();
		assertThat(this.properties.getTcpKeepAlive().isEnabled()).isTrue();
		assertThat(this.properties.getTcpKeepAlive().getIdle()).isEqualTo(Duration.ofSeconds(60));
		assertThat(this.properties.getTcpKeepAlive().getInterval()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.properties.getTcpKeepAlive().getCount()).isEqualTo(3);
		assertThat(this.properties.getHttp2().getMaxConcurrentStreams())
			.isEqualTo(Http2CodecUtil.SMALLEST_MAX_CONCURRENT_STREAMS);
		assertThat(this.properties.getHttp2().getMaxResetFrames()).isEqualTo(200);
		assertThat(this.properties.getHttp2().getResetFramesWindow()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void bindsEveryProperty() {
		bind(Map.of("steady.server.enabled", "false", "steady.server.idle-timeout", "75s",
				"steady.server.request-header-timeout", "2500ms", "steady.server.read-timeout", "1m",
				"steady.server.request-timeout", "2m", "steady.server.max-keep-alive-requests", "1000",
				"steady.server.max-connections", "4096", "steady.server.advertise-keep-alive", "false",
				"steady.server.tcp-keep-alive.idle", "2m", "steady.server.tcp-keep-alive.count", "9"));
		assertThat(this.properties.isEnabled()).isFalse();
		assertThat(this.properties.getIdleTimeout()).isEqualTo(Duration.ofSeconds(75));
		assertThat(this.properties.getRequestHeaderTimeout()).isEqualTo(Duration.ofMillis(2500));
		assertThat(this.properties.getReadTimeout()).isEqualTo(Duration.ofMinutes(1));
		assertThat(this.properties.getRequestTimeout()).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.properties.getMaxKeepAliveRequests()).isEqualTo(1000);
		assertThat(this.properties.getMaxConnections()).isEqualTo(4096);
		assertThat(this.properties.isAdvertiseKeepAlive()).isFalse();
		assertThat(this.properties.getTcpKeepAlive().getIdle()).isEqualTo(Duration.ofMinutes(2));
		assertThat(this.properties.getTcpKeepAlive().getCount()).isEqualTo(9);
	}

	@Test
	void bindsTheHttp2Limits() {
		bind(Map.of("steady.server.http2.max-concurrent-streams", "64", "steady.server.http2.max-reset-frames", "0",
				"steady.server.http2.reset-frames-window", "1m"));
		assertThat(this.properties.getHttp2().getMaxConcurrentStreams()).isEqualTo(64);
		assertThat(this.properties.getHttp2().getMaxResetFrames()).isZero();
		assertThat(this.properties.getHttp2().getResetFramesWindow()).isEqualTo(Duration.ofMinutes(1));
	}

	private void bind(Map<String, String> map) {
		new Binder(new MapConfigurationPropertySource(map)).bind("steady.server", Bindable.ofInstance(this.properties));
	}

}
