package dev.steady.client;

import java.net.SocketAddress;

import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;
import jdk.net.ExtendedSocketOptions;
import reactor.netty.ConnectionObserver;

import org.springframework.util.ClassUtils;

/**
 * Turns on TCP keep-alive probes on each new client socket, with the idle time, interval
 * and count set through the option names of the transport the channel really uses: epoll's
 * own options on the native transport, the JDK's extended socket options on NIO.
 */
final class TcpKeepAliveInitializer {

	private static final boolean EPOLL_PRESENT = ClassUtils.isPresent("io.netty.channel.epoll.EpollSocketChannel",
			TcpKeepAliveInitializer.class.getClassLoader());

	private final ClientSettings.TcpKeepAlive settings;

	TcpKeepAliveInitializer(ClientSettings.TcpKeepAlive settings) {
		this.settings = settings;
	}

	void initialize(ConnectionObserver observer, Channel channel, @SuppressWarnings("unused") SocketAddress remote) {
		ChannelConfig config = channel.config();
		config.setOption(ChannelOption.SO_KEEPALIVE, this.settings.isEnabled());
		if (!this.settings.isEnabled()) {
			return;
		}
		int idle = (int) this.settings.getIdle().toSeconds();
		int interval = (int) this.settings.getInterval().toSeconds();
		int count = this.settings.getCount();
		if (EPOLL_PRESENT && channel instanceof EpollSocketChannel) {
			config.setOption(EpollChannelOption.TCP_KEEPIDLE, idle);
			config.setOption(EpollChannelOption.TCP_KEEPINTVL, interval);
			config.setOption(EpollChannelOption.TCP_KEEPCNT, count);
		}
		else if (channel instanceof NioSocketChannel) {
			config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE), idle);
			config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL), interval);
			config.setOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT), count);
		}
	}

}
