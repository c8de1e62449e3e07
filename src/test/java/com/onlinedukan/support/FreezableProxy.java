package com.onlinedukan.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder on localhost that a test can freeze: it then stops moving bytes both ways and
 * accepts new connections without answering, while every socket stays open — a machine cut off
 * from the network without a FIN or a RST, as PostgreSQL sees it (a close on either side waits for
 * the thaw, too). It can also {@link #reset()} every
 * connection and {@link #refuse(boolean) refuse} new ones while it keeps listening (a cut the client
 * notices at once). {@link #close()} cuts everything.
 */
public final class FreezableProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Object gate = new Object();
    private volatile boolean frozen;
    private volatile boolean refusing;
    private volatile boolean closed;

    private FreezableProxy(String targetHost, int targetPort) throws IOException {
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::accept, "proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static FreezableProxy to(String host, int port) {
        try {
            return new FreezableProxy(host, port);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Stops forwarding, keeping every connection open: a close on one side waits for the thaw. */
    public void freeze() {
        frozen = true;
    }

    public void thaw() {
        synchronized (gate) {
            frozen = false;
            gate.notifyAll();
        }
    }

    /** Closes every open connection (both ends see a reset or end of stream) and goes on listening. */
    public void reset() {
        sockets.forEach(FreezableProxy::closeQuietly);
        sockets.clear();
    }

    /** While on, each new connection is closed as soon as it is accepted. */
    public void refuse(boolean on) {
        refusing = on;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                if (refusing) {
                    closeQuietly(client);
                    continue;
                }
                sockets.add(client);
                Thread connector = new Thread(() -> connect(client), "proxy-connect-" + port());
                connector.setDaemon(true);
                connector.start();
            }
            catch (IOException e) {
                return;
            }
        }
    }

    private void connect(Socket client) {
        try {
            awaitThawed();
            Socket upstream = new Socket(targetHost, targetPort);
            sockets.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
        catch (IOException | InterruptedException e) {
            closeQuietly(client);
            sockets.remove(client);
        }
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread pump = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    awaitThawed();
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    // Bytes read just before a freeze wait for the thaw, too.
                    awaitThawed();
                    out.write(buffer, 0, read);
                    out.flush();
                }
            }
            catch (IOException | InterruptedException e) {
                // the other side or the test closed it
            }
            try {
                // No FIN crosses a frozen network either.
                awaitThawed();
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }, "proxy-" + direction + "-" + port());
        pump.setDaemon(true);
        pump.start();
    }

    private void awaitThawed() throws InterruptedException {
        synchronized (gate) {
            while (frozen && !closed) {
                gate.wait();
            }
        }
    }

    /** Cuts every connection (the far ends see a reset or end of stream) and stops listening. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        sockets.forEach(FreezableProxy::closeQuietly);
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception e) {
            // already gone
        }
    }
}
