package quartet.dashboard;

/** A source of dashboard events that starts when the first browser subscribes. */
interface LiveTail {

    /** Starts the tail if it has not started yet; further calls do nothing. */
    void start();

}
