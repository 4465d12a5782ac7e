package store.testserver;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Starts mongo-java-server's in-memory backend on 127.0.0.1 for the MongoDB backend's tests, prints
 * "MONGODB_URI=..." once it listens, and runs until killed (SIGTERM stops it cleanly).
 *
 * TEST-ONLY SHIM: mongo-java-server 1.47 reports wire version 8 (its newest preset, labelled 5.0),
 * and the Node driver 7 refuses servers below wire version 9. The backend's public version() option
 * takes any MongoVersion, so this reports wire version 13 (MongoDB 5.0's) without changing how the
 * server evaluates anything. The commands the store sends work on both; features the server lacks
 * (transactions, collations) stay absent, whatever version it reports.
 */
public final class TestServer {
  private TestServer() {}

  /** The version the server reports in hello/isMaster/buildInfo. */
  static final MongoVersion REPORTED = new MongoVersion() {
    @Override
    public List<Integer> getVersionArray() {
      return List.of(5, 0, 0);
    }

    @Override
    public int getWireVersion() {
      return 13;
    }
  };

  public static void main(String[] args) throws Exception {
    int port = 0;
    for (String arg : args) {
      if (arg.startsWith("--port=")) port = Integer.parseInt(arg.substring("--port=".length()));
      else throw new IllegalArgumentException("unknown argument: " + arg + " (use --port=N; 0 picks a free port)");
    }
    MongoServer server = new MongoServer(new MemoryBackend().version(REPORTED));
    server.bind("127.0.0.1", port);
    InetSocketAddress address = server.getLocalAddress();
    System.out.println("MONGODB_URI=mongodb://127.0.0.1:" + address.getPort() + "/");
    System.out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.shutdownNow();
      stopped.countDown();
    }));
    stopped.await();
  }
}
