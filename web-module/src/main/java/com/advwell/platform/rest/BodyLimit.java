package com.advwell.platform.rest;

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

/**
 * Refuses request bodies over {@code REQUEST_MAX_BYTES} (default 1 MiB) with 413: at once when Content-Length says
 * so, and while reading when the body is chunked.
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class BodyLimit implements ContainerRequestFilter {

    private static final long DRAIN_MAX_BYTES = 8L << 20;

    private final long limit = Settings.fromMicroProfileConfig().integer("REQUEST_MAX_BYTES", 1 << 20, 1024, 64 << 20);

    @Override
    public void filter(ContainerRequestContext request) {
        if (request.getLength() > limit) {
            // Clients that do not wait for 100-continue are still sending; read and drop a bounded amount so they
            // get to read the 413 instead of blocking on a full socket (beyond that the connection is closed).
            drain(request.getEntityStream(), Math.min(request.getLength(), DRAIN_MAX_BYTES));
            request.abortWith(Problems.of(new PayloadTooLargeException(limit)).toResponse());
            return;
        }
        if (request.hasEntity()) {
            request.setEntityStream(new Limited(request.getEntityStream(), limit));
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
        private long count;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
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
                throw new PayloadTooLargeException(limit);
            }
        }
    }
}
