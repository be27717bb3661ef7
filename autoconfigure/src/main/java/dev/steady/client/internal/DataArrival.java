package dev.steady.client.internal;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

import org.springframework.util.ClassUtils;

/**
 * How long ago the kernel received a connection's last data, whatever the event loop did
 * since: a loop kept off the CPU reads a response late, and the time it stamps is then later
 * than when the server finished writing. Linux's {@code TCP_INFO} knows when the data came in;
 * it is asked through Netty's native epoll transport, and is unknown on others.
 */
final class DataArrival {

	/** What {@link #millisSinceLastData} answers when the transport cannot tell. */
	static final long UNKNOWN = -1;

	private static final boolean EPOLL_PRESENT = ClassUtils.isPresent("io.netty.channel.epoll.EpollSocketChannel",
			DataArrival.class.getClassLoader());

	private DataArrival() {
	}

	/**
	 * Milliseconds since the connection last received data, as the kernel counts them (in
	 * its clock ticks, a few milliseconds): one system call.
	 * @param channel the connection's channel
	 * @return milliseconds, or {@link #UNKNOWN}
	 */
	static long millisSinceLastData(Channel channel) {
		if (EPOLL_PRESENT && channel instanceof EpollSocketChannel epoll && epoll.isActive()) {
			return epoll.tcpInfo().lastDataRecv();
		}
		return UNKNOWN;
	}

}
