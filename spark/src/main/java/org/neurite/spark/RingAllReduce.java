package org.neurite.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.List;

/**
 * A ring all-reduce of float arrays among {@code n} workers over TCP, as Horovod and NCCL do it: the array is cut
 * into {@code n} chunks; {@code n - 1} steps of reduce-scatter (each worker sends one chunk to the next and adds the
 * chunk it receives from the previous), then {@code n - 1} steps of all-gather, so that each worker sends and
 * receives {@code 2 (n - 1) / n} of the array whatever {@code n} is. The sum is computed in the same order on every
 * worker for a given chunk, so all workers end with bit-identical results.
 *
 * <p>Every read waits at most {@code timeoutMillis}: a worker that dies or hangs makes the others fail with an
 * {@link UncheckedIOException} naming the peer, never wait forever. Not thread-safe: one reduction at a time.
 */
public final class RingAllReduce implements AutoCloseable {
    private final int rank;
    private final int size;
    private final ServerSocket server;
    private Socket toNext;
    private Socket fromPrevious;
    private DataOutputStream out;
    private DataInputStream in;
    private final int timeoutMillis;
    /** Sends while the worker receives: with every worker writing a chunk larger than the socket buffers at once,
     *  writing and then reading on one thread would deadlock the ring. */
    private final java.util.concurrent.ExecutorService sender = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "neurite-allreduce-send");
        t.setDaemon(true);
        return t;
    });

    /** Listens on an ephemeral port of {@code host}; {@link #address()} is what the other workers connect to. */
    public RingAllReduce(int rank, int size, String host, int timeoutMillis) {
        if (size < 1 || rank < 0 || rank >= size) {
            throw new IllegalArgumentException("RingAllReduce: rank " + rank + " of " + size);
        }
        this.rank = rank;
        this.size = size;
        this.timeoutMillis = timeoutMillis;
        try {
            this.server = new ServerSocket();
            server.bind(new InetSocketAddress(host, 0));
            server.setSoTimeout(timeoutMillis);
        } catch (IOException e) {
            throw new UncheckedIOException("RingAllReduce: cannot listen on " + host + ": " + e.getMessage(), e);
        }
    }

    /** {@code host:port} to publish to the other workers (Spark: {@code BarrierTaskContext.allGather}). */
    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** Connects to the next worker and accepts the previous one; {@code addresses} is every worker's, by rank. */
    public void connect(List<String> addresses) {
        if (addresses.size() != size) {
            throw new IllegalArgumentException("RingAllReduce: " + addresses.size() + " addresses for " + size + " workers");
        }
        if (size == 1) {
            return;
        }
        String next = addresses.get((rank + 1) % size);
        int colon = next.lastIndexOf(':');
        try {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            while (toNext == null) {
                try {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(next.substring(0, colon), Integer.parseInt(next.substring(colon + 1))),
                            timeoutMillis);
                    toNext = s;
                } catch (IOException e) {
                    if (System.currentTimeMillis() > deadline) {
                        throw e;
                    }
                    Thread.sleep(20);
                }
            }
            toNext.setTcpNoDelay(true);
            fromPrevious = server.accept();
            fromPrevious.setSoTimeout(timeoutMillis);
            out = new DataOutputStream(new BufferedOutputStream(toNext.getOutputStream(), 1 << 16));
            in = new DataInputStream(new BufferedInputStream(fromPrevious.getInputStream(), 1 << 16));
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("RingAllReduce: worker " + rank + ": worker " + ((rank + size - 1) % size)
                    + " did not connect within " + timeoutMillis + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException("RingAllReduce: worker " + rank + " cannot connect to " + next + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("RingAllReduce: interrupted while connecting", e);
        }
    }

    /** Replaces {@code data} on every worker by the element-wise sum over all workers. */
    public void sum(float[] data) {
        if (size == 1) {
            return;
        }
        int n = data.length;
        float[] buffer = new float[(n + size - 1) / size];
        try {
            // reduce-scatter: after step s, chunk (rank - s - 1) mod size holds the sum of s + 2 workers
            for (int s = 0; s < size - 1; s++) {
                int send = Math.floorMod(rank - s, size);
                int recv = Math.floorMod(rank - s - 1, size);
                exchange(data, from(send, n), to(send, n), buffer, to(recv, n) - from(recv, n));
                for (int i = from(recv, n), j = 0; i < to(recv, n); i++, j++) {
                    data[i] += buffer[j];
                }
            }
            // all-gather: each worker owns the full sum of chunk (rank + 1) mod size; pass them round
            for (int s = 0; s < size - 1; s++) {
                int send = Math.floorMod(rank + 1 - s, size);
                int recv = Math.floorMod(rank - s, size);
                exchange(data, from(send, n), to(send, n), buffer, to(recv, n) - from(recv, n));
                System.arraycopy(buffer, 0, data, from(recv, n), to(recv, n) - from(recv, n));
            }
        } catch (SocketTimeoutException e) {
            throw new UncheckedIOException("RingAllReduce: worker " + rank + ": worker " + ((rank + size - 1) % size)
                    + " sent nothing for " + timeoutMillis + " ms (dead or hung)", e);
        } catch (IOException e) {
            throw new UncheckedIOException("RingAllReduce: worker " + rank + ": the ring broke: " + e.getMessage(), e);
        }
    }

    /** Replaces {@code data} by the element-wise mean over all workers. */
    public void mean(float[] data) {
        sum(data);
        if (size > 1) {
            float inv = 1f / size;
            for (int i = 0; i < data.length; i++) {
                data[i] *= inv;
            }
        }
    }

    private int from(int chunk, int n) {
        return (int) ((long) chunk * n / size);
    }

    private int to(int chunk, int n) {
        return (int) ((long) (chunk + 1) * n / size);
    }

    /** Sends {@code data[from, to)} on the sender thread, then receives {@code count} values into {@code buffer}. */
    private void exchange(float[] data, int from, int to, float[] buffer, int count) throws IOException {
        // In bulk: a float at a time through DataOutputStream cost more than the training step itself.
        // Little-endian on the wire: the platform's order on x86-64 and AArch64, so the copy is a plain memory copy.
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(4 * (to - from)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(data, from, to - from);
        java.util.concurrent.Future<?> sent = sender.submit(() -> {
            out.writeInt(to - from);
            out.write(bytes.array());
            out.flush();
            return null;
        });
        read(buffer, count);
        try {
            sent.get(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new SocketTimeoutException("sending to the next worker took over " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void read(float[] buffer, int count) throws IOException {
        int announced = in.readInt();
        if (announced != count) {
            throw new IOException("worker " + ((rank + size - 1) % size) + " sent " + announced + " values, " + count
                    + " expected (the workers disagree on the array's size)");
        }
        byte[] bytes = new byte[4 * count];
        in.readFully(bytes);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(buffer, 0, count);
    }

    @Override
    public void close() {
        sender.shutdownNow();
        for (AutoCloseable c : new AutoCloseable[] {toNext, fromPrevious, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing a socket of a ring that is going away: nothing left to tell
            }
        }
    }
}
