package dev.steady.client.internal;

import java.util.HashMap;
import java.util.Map;

import dev.steady.client.internal.LearnedIdleTimeouts.Lesson;
import org.jspecify.annotations.Nullable;

/**
 * The pooled connections of one host that its server closed while they sat idle, together:
 * each within {@link #WINDOW_MILLIS} of the one before, and whether they were closed by an idle
 * timeout or by a shutdown. An idle timeout closes each connection once it has been idle for
 * that timeout, so the connections it closes together had been idle about as long. A server
 * shutting down gracefully, or nginx reloading, closes every idle connection at once, whatever
 * its idle time: closes that come together at idle times more than twice apart are such a
 * shutdown, and teach nothing of the host's idle timeout.
 * <p>
 * Each close's idle time is known within bounds: at least since the connection's last read, at
 * most since its last use began. A read that came late (an event loop kept off the CPU) shortens
 * the first, and a slow response lengthens the second, so neither may make an idle timeout look
 * like a shutdown: the burst is one only when a connection was idle at least more than twice as
 * long as another was at most. Not thread-safe: its owner locks it.
 */
final class IdleCloseBurst {

	/**
	 * Closes no further apart than this come together: a shutdown closes its connections
	 * within milliseconds, which an event loop kept off the CPU of a busy machine may notice
	 * hundreds of milliseconds apart.
	 */
	static final long WINDOW_MILLIS = 1000;

	/** What the closes seen so far say. */
	enum Verdict {

		/** The closes of the burst had been idle about as long: an idle timeout. */
		IDLE_TIMEOUT,

		/** This close shows the burst is a shutdown: what it taught is to be withdrawn. */
		SHUTDOWN_FOUND,

		/** Another close of a burst already known to be a shutdown. */
		SHUTDOWN

	}

	private int closes;

	private long lastCloseAt;

	// the shortest "at most" and the longest "at least" idle time of the burst's closes
	private long shortestMostIdle;

	private long longestLeastIdle;

	private boolean shutdown;

	private boolean logPending;

	// per client taught by this burst, its lesson of the host before (null: none), to restore if a shutdown
	private final Map<String, @Nullable Lesson> lessonsBefore = new HashMap<>();

	/**
	 * Count a close and judge the burst it belongs to.
	 * @param now when the close was seen, in milliseconds
	 * @param leastIdleMillis how long the connection had been idle since its last read
	 * @param mostIdleMillis how long it had been idle at most, since its last use began
	 * @return what the burst is, with this close
	 */
	Verdict closed(long now, long leastIdleMillis, long mostIdleMillis) {
		if (this.closes == 0 || now - this.lastCloseAt > WINDOW_MILLIS) {
			this.closes = 0;
			this.shortestMostIdle = mostIdleMillis;
			this.longestLeastIdle = leastIdleMillis;
			this.shutdown = false;
			this.lessonsBefore.clear();
		}
		this.closes++;
		this.lastCloseAt = (this.closes == 1) ? now : Math.max(this.lastCloseAt, now);
		this.shortestMostIdle = Math.min(this.shortestMostIdle, mostIdleMillis);
		this.longestLeastIdle = Math.max(this.longestLeastIdle, leastIdleMillis);
		if (this.shutdown) {
			return Verdict.SHUTDOWN;
		}
		if (this.longestLeastIdle > 2 * this.shortestMostIdle) {
			this.shutdown = true;
			return Verdict.SHUTDOWN_FOUND;
		}
		return Verdict.IDLE_TIMEOUT;
	}

	/**
	 * Remember what a client knew of the host before this burst taught it.
	 * @param client the client's name
	 * @param before its lesson of the host, or {@code null} if none
	 */
	void teaching(String client, @Nullable Lesson before) {
		if (!this.lessonsBefore.containsKey(client)) {
			this.lessonsBefore.put(client, before);
		}
	}

	/**
	 * What each client this burst taught knew of the host before.
	 * @return the lesson per client, {@code null} where there was none
	 */
	Map<String, @Nullable Lesson> lessonsBefore() {
		return this.lessonsBefore;
	}

	/**
	 * How many connections the burst closed so far.
	 * @return the count
	 */
	int closes() {
		return this.closes;
	}

	/**
	 * Whether the burst is over: no close came for {@link #WINDOW_MILLIS}.
	 * @param now current time in milliseconds
	 * @return whether a further close would start another burst
	 */
	boolean over(long now) {
		return now - this.lastCloseAt > WINDOW_MILLIS;
	}

	/**
	 * Whether the burst is a shutdown, so far.
	 * @return whether its closes came at widely different idle times
	 */
	boolean shutdown() {
		return this.shutdown;
	}

	/**
	 * Ask for what the burst taught to be logged once it is over.
	 * @return whether the caller is to schedule that log: not when it is scheduled already
	 */
	boolean logWhenOver() {
		if (this.logPending) {
			return false;
		}
		this.logPending = true;
		return true;
	}

	/** What the burst taught was logged, or found to need no log. */
	void logged() {
		this.logPending = false;
	}

}
