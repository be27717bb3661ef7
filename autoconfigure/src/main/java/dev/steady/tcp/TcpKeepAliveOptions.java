package dev.steady.tcp;

import java.time.Duration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import jdk.net.ExtendedSocketOptions;

import org.springframework.util.ClassUtils;

/**
 * TCP keep-alive probes of a socket: whether they are sent, the idle time before the first,
 * the interval between them and how many may go unanswered. {@link #applyTo(Channel)} sets
 * them through the option names of the transport the channel really uses: epoll's own
 * options on the native transport, the JDK's extended socket options on NIO. Used for
 * client connections and for connections a server accepted alike.
 *
 * @param enabled whether probes are sent
 * @param idle idle time before the first probe (whole seconds)
 * @param interval time between probes (whole seconds)
 * @param count unanswered probes after which the connection is dropped
 *
 * @since 0.1.0
 */
public record TcpKeepAliveOptions(boolean enabled, Duration idle, Duration interval, int count) {

	private static final boolean EPOLL_PRESENT = ClassUtils.isPresent("io.netty.channel.epoll.EpollSocketChannel",
			TcpKeepAliveOptions.class.getClassLoader());

	/**
	 * Set these options on a connected socket channel.
	 * @param channel the channel of one connection
	 */
	public void applyTo(Channel channel) {
		ChannelConfig config = channel.config();
		config.setOption(ChannelOption.SO_KEEPALIVE, this.enabled);
		if (!this.enabled) {
			return;
		}
		int idleSeconds = (int) this.idle.toSeconds();
		int intervalSeconds = (int) this.interval.toSeconds();
		if (EPOLL_PRESENT && channel instanceof EpollSocketChannel) {
			config.setOption(EpollChannelOption.TCP_KEEPIDLE, idleSeconds);
			config.setOption(EpollChannelOption.TCP_KEEPINTVL, intervalSeconds);
			config.setOption(EpollChannelOption.TCP_KEEPCNT, this.count);
		}
		else if (channel instanceof NioSocketChannel) {
			config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idleSeconds);
			config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), intervalSeconds);
			config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), this.count);
		}
	}

}
