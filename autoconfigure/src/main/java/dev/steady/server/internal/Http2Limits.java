package dev.steady.server.internal;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.Http2SettingsSpec;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Limits of the server's HTTP/2 connections, which Spring Boot has no properties for.
 * Reactor Netty replaces its whole HTTP/2 settings on every
 * {@link HttpServer#http2Settings}, so {@link #fillIn(HttpServer)} copies what is already
 * set (Spring Boot's {@code maxHeaderListSize}, an application customizer's values) and adds
 * only what was left at Reactor Netty's default.
 *
 * @param maxConcurrentStreams streams one connection may have open at once, advertised as
 * {@code SETTINGS_MAX_CONCURRENT_STREAMS}
 * @param maxResetFrames {@code RST_STREAM} frames one connection may receive, or make the
 * server send, within {@code resetFramesWindow} before it is closed with
 * {@code GOAWAY ENHANCE_YOUR_CALM}; 0 for no limit
 * @param resetFramesWindow window over which reset frames are counted, whole seconds
 */
public record Http2Limits(long maxConcurrentStreams, int maxResetFrames, Duration resetFramesWindow) {

	/** Reactor Netty's settings when nothing is set: Netty's {@code Http2Settings.defaultSettings()}. */
	private static final Http2SettingsSpec LIBRARY_DEFAULTS = Http2SettingsSpec.builder().build();

	/**
	 * Add these limits to a server's HTTP/2 settings where nothing set them.
	 * @param server the server, as Spring Boot and the application configured it
	 * @return the server with the limits in its HTTP/2 settings
	 */
	HttpServer fillIn(HttpServer server) {
		Http2SettingsSpec current = server.configuration().http2SettingsSpec();
		int windowSeconds = (int) this.resetFramesWindow.toSeconds();
		return server.http2Settings((builder) -> {
			if (current != null) {
				copy(current, builder);
			}
			if (current == null
					|| Objects.equals(current.maxConcurrentStreams(), LIBRARY_DEFAULTS.maxConcurrentStreams())) {
				builder.maxConcurrentStreams(this.maxConcurrentStreams);
			}
			if (current == null || current.maxDecodedRstFramesPerWindow() == null) {
				builder.maxDecodedRstFramesPerWindow(this.maxResetFrames, windowSeconds);
			}
			if (current == null || current.maxEncodedRstFramesPerWindow() == null) {
				builder.maxEncodedRstFramesPerWindow(this.maxResetFrames, windowSeconds);
			}
		});
	}

	/** Every value of {@code from} that its builder can set (server push has no setter). */
	private static void copy(Http2SettingsSpec from, Http2SettingsSpec.Builder to) {
		PropertyMapper map = PropertyMapper.get();
		map.from(from.connectProtocolEnabled()).to(to::connectProtocolEnabled);
		map.from(from.headerTableSize()).to(to::headerTableSize);
		map.from(from.initialWindowSize()).to(to::initialWindowSize);
		map.from(nullable(from.maxConcurrentStreams())).to(to::maxConcurrentStreams);
		map.from(from.maxFrameSize()).to(to::maxFrameSize);
		map.from(nullable(from.maxHeaderListSize())).to(to::maxHeaderListSize);
		map.from(from.maxStreams()).to(to::maxStreams);
		map.from(nullable(from.pingAckDropThreshold())).to(to::pingAckDropThreshold);
		map.from(from.pingAckTimeout()).to(to::pingAckTimeout);
		Integer decoded = from.maxDecodedRstFramesPerWindow();
		Integer decodedSeconds = from.maxDecodedRstFramesSecondsPerWindow();
		if (decoded != null && decodedSeconds != null) {
			to.maxDecodedRstFramesPerWindow(decoded, decodedSeconds);
		}
		Integer encoded = from.maxEncodedRstFramesPerWindow();
		Integer encodedSeconds = from.maxEncodedRstFramesSecondsPerWindow();
		if (encoded != null && encodedSeconds != null) {
			to.maxEncodedRstFramesPerWindow(encoded, encodedSeconds);
		}
	}

	/** Reactor Netty declares these non-null, but leaves them null when Netty's defaults do. */
	private static <T> @Nullable T nullable(@Nullable T value) {
		return value;
	}

}
