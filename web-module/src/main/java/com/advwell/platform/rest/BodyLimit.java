package com.advwell.platform.rest;

import com.advwell.jobs.control.QueueSettings;
import com.advwell.platform.config.Settings;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Refuses request bodies over {@code REQUEST_MAX_BYTES} (default 1 MiB) with 413: at once when Content-Length says
 * so, and while reading when the body is chunked. Adding jobs has a limit of its own: a job's payload may be as large
 * as {@code QUEUE_MAX_PAYLOAD_BYTES} whatever {@code REQUEST_MAX_BYTES} says, so the body of a single add may be that
 * plus room for the job's options, and the 413 for a larger one names {@code payload}.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimit implements ContainerRequestFilter {

    private static final long DRAIN_MAX_BYTES = 8L << 20;

    /** Room for a job's id, type and options around its payload. */
    private static final long JOB_ENVELOPE_BYTES = 64 << 10;

    private static final Pattern JOB_ADD = Pattern.compile("/?queues/[^/]+/jobs/?");
    private static final Pattern JOB_BULK_ADD = Pattern.compile("/?queues/[^/]+/jobs/bulk/?");

    private final long limit;
    private final long jobAddLimit;

    public BodyLimit() {
        Settings settings = Settings.fromMicroProfileConfig();
        limit = settings.integer("REQUEST_MAX_BYTES", 1 << 20, 1024, 64 << 20);
        jobAddLimit = Math.max(limit, QueueSettings.from(settings).maxPayloadBytes() + JOB_ENVELOPE_BYTES);
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        boolean post = "POST".equals(request.getMethod());
        // the exception is made only when a body is too large: filling in a stack trace on every request showed up
        // in the profiles of issue 12
        Supplier<PayloadTooLargeException> tooLarge;
        long max;
        if (post && JOB_ADD.matcher(path).matches()) {
            max = jobAddLimit;
            tooLarge = () -> new PayloadTooLargeException(max, "payload", "; the job's payload is too large");
        } else if (post && JOB_BULK_ADD.matcher(path).matches()) {
            max = jobAddLimit;
            tooLarge = () -> new PayloadTooLargeException(max, "body", "; send the jobs in smaller batches");
        } else {
            max = limit;
            tooLarge = () -> new PayloadTooLargeException(max);
        }
        if (request.getLength() > max) {
            // Clients that do not wait for 100-continue are still sending; read and drop a bounded amount so they
            // get to read the 413 instead of blocking on a full socket (beyond that the connection is closed).
            drain(request.getEntityStream(), Math.min(request.getLength(), DRAIN_MAX_BYTES));
            request.abortWith(Problems.of(tooLarge.get()).toResponse());
            return;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream(), max, tooLarge));
        }
    }

    private static void drain(InputStream in, long bytes) {
        byte[] buffer = new byte[16 * 1024];
        long left = bytes;
        try {
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    return;
                }
                left -= n;
            }
        } catch (IOException e) {
            // the client gave up; the 413 is still the answer
        }
    }

    private static final class Limited extends FilterInputStream {
        private final long limit;
        private final Supplier<PayloadTooLargeException> tooLarge;
        private long count;

        Limited(InputStream in, long limit, Supplier<PayloadTooLargeException> tooLarge) {
            super(in);
            this.limit = limit;
            this.tooLarge = tooLarge;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws IOException {
            count += n;
            if (count > limit) {
                throw tooLarge.get();
            }
        }
    }
}
