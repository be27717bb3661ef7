package dev.steady.client.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.epoll.EpollSocketChannel;

import org.springframework.util.ClassUtils;

/**
 * What the kernel knows of a connection, whatever its event loop did since: when its last
 * data came in, and whether its peer has closed it. A loop kept off the CPU reads a response,
 * or a FIN, late. Linux's {@code TCP_INFO} knows; it is asked through Netty's native epoll
 * transport. On other transports the arrival is unknown and the channel's own state stands in
 * for the kernel's. Asked from another event loop than the channel's, the channel may close
 * meanwhile: a closed channel is no longer open, and its arrival unknown; nothing is thrown.
 */
final class KernelTcpState {

	/** What {@link #millisSinceLastData} answers when the transport cannot tell. */
	static final long UNKNOWN = -1;

	// Linux's tcp_states.h
	private static final int TCP_ESTABLISHED = 1;

	private static final boolean EPOLL_PRESENT = ClassUtils.isPresent("io.netty.channel.epoll.EpollSocketChannel",
			KernelTcpState.class.getClassLoader());

	private KernelTcpState() {
	}

	/**
	 * Milliseconds since the connection last received data, as the kernel counts them (in
	 * its clock ticks, a few milliseconds): one system call.
	 * @param channel the connection's channel
	 * @return milliseconds, or {@link #UNKNOWN}
	 */
	static long millisSinceLastData(Channel channel) {
		if (EPOLL_PRESENT && channel instanceof EpollSocketChannel epoll && epoll.isActive()) {
			try {
				return epoll.tcpInfo().lastDataRecv();
			}
			catch (ChannelException ex) {
				// closed meanwhile, on its own event loop
				return UNKNOWN;
			}
		}
		return UNKNOWN;
	}

	/**
	 * Whether the connection is still open both ways: established in the kernel, with no FIN
	 * or reset received even if its event loop has not read it yet (one system call on
	 * epoll), or, on other transports, active as its event loop last saw it.
	 * @param channel the connection's channel
	 * @return whether the peer has not closed it
	 */
	static boolean openBothWays(Channel channel) {
		if (!channel.isActive()) {
			return false;
		}
		if (EPOLL_PRESENT && channel instanceof EpollSocketChannel epoll) {
			try {
				return epoll.tcpInfo().state() == TCP_ESTABLISHED;
			}
			catch (ChannelException ex) {
				// closed meanwhile, on its own event loop
				return false;
			}
		}
		return true;
	}

}
