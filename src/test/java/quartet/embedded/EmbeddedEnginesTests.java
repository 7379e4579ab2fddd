package quartet.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engines themselves, without Spring: each starts for real, answers on the port it
 * reports, and leaves no process or file behind when stopped, also after a failed start.
 */
class EmbeddedEnginesTests {

    private static final Log log = LogFactory.getLog(EmbeddedEnginesTests.class);

    @Test
    void startsPostgresAndRedisThatAnswerAndStopsThemWithoutLeftovers() throws Exception {
        var plan = new EmbeddedEngines.Plan(EnumSet.of(Service.POSTGRESQL, Service.REDIS), Optional.empty(), false);
        long postgresPid;
        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log)) {
            var properties = lease.properties();
            try (Connection connection = DriverManager.getConnection((String) properties.get("spring.datasource.url"),
                    "postgres", "")) {
                ResultSet result = connection.createStatement()
                    .executeQuery(
                            "select pg_backend_pid(), (select setting from pg_settings where name = 'listen_addresses')");
                result.next();
                assertThat(result.getString(2)).isEqualTo("127.0.0.1");
            }
            assertThat(redis((int) properties.get("spring.data.redis.port"), "PING")).isEqualTo("+PONG");
            assertThat(properties.get("quartet.embedded.services")).isEqualTo("postgresql,redis");
            postgresPid = postmasterPid(lease);
        }
        await().atMost(Duration.ofSeconds(10))
            .until(() -> ProcessHandle.of(postgresPid).map(p -> !p.isAlive()).orElse(true));
    }

    @Test
    void runsTheRedisBinaryFromTheRunDirectorySoAKilledJvmLeavesNoTempFolder() {
        var plan = new EmbeddedEngines.Plan(Set.of(Service.REDIS), Optional.empty(), false);
        Set<Long> before = redisServersOfThisJvm();
        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log)) {
            Path runsOfThisJvm = RUN_ROOT.resolve(Long.toString(ProcessHandle.current().pid()));
            assertThat(ProcessHandle.current()
                .children()
                .filter(p -> !before.contains(p.pid()))
                .map(p -> p.info().command().orElse(""))
                .filter(command -> command.contains("redis-server"))).singleElement()
                .satisfies(command -> assertThat(Path.of(command)).startsWith(runsOfThisJvm));
            // Its config file too: embedded-redis would write it to the temp folder, for
            // deleteOnExit to remove.
            String info = redisServerInfo((int) lease.properties().get("spring.data.redis.port"));
            assertThat(info.lines()
                .filter(line -> line.startsWith("config_file:"))
                .map(line -> line.substring("config_file:".length()))).singleElement()
                .satisfies(config -> assertThat(Path.of(config)).startsWith(runsOfThisJvm));
        }
    }

    /** The whole INFO server reply (a bulk string of many lines). */
    private static String redisServerInfo(int port) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write("*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n".getBytes(StandardCharsets.US_ASCII));
            var in = new java.io.DataInputStream(socket.getInputStream());
            StringBuilder header = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                header.append((char) b);
            }
            byte[] body = new byte[Integer.parseInt(header.toString().trim().substring(1))];
            in.readFully(body);
            return new String(body, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void deletesTheTempFilesEmbeddedRedisLeftBehindAfterAKilledJvm() throws Exception {
        long id = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        Path binaryDir = Files.createDirectories(TEMP.resolve("redis-" + id));
        Files.writeString(binaryDir.resolve("redis-server-6.2.6-v5-linux-amd64"), "a 9 MB binary");
        Path config = Files.writeString(TEMP.resolve("embedded-redis-server_6379" + id + ".conf"), "bind 127.0.0.1\n");
        for (Path stray : List.of(binaryDir.resolve("redis-server-6.2.6-v5-linux-amd64"), binaryDir, config)) {
            Files.setLastModifiedTime(stray, FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        }

        RunDirectory.create(log).delete();

        assertThat(binaryDir).doesNotExist();
        assertThat(config).doesNotExist();
    }

    @Test
    void keepsTempFilesThatAreRecentNotEmbeddedRedisOrInUse(@TempDir Path temp) throws Exception {
        Instant anHourAgo = Instant.now().minus(Duration.ofHours(1));
        Path stray = oldFile(temp.resolve("redis-1/redis-server-6.2.6-v5-linux-amd64"), anHourAgo);
        Path recent = oldFile(temp.resolve("redis-2/redis-server-6.2.6-v5-linux-amd64"), Instant.now());
        Path foreign = oldFile(temp.resolve("redis-3/dump.rdb"), anHourAgo);
        Path notOurName = oldFile(temp.resolve("redis-data/redis-server-6.2.6-v5-linux-amd64"), anHourAgo);
        Path strayConfig = oldFile(temp.resolve("embedded-redis-server_63791234.conf"), anHourAgo);
        Path recentConfig = oldFile(temp.resolve("embedded-redis-server_63795678.conf"), Instant.now());
        // A live process whose executable is in an old redis-* folder: someone's
        // redis-server still runs from it.
        Path inUse = temp.resolve("redis-4/redis-server-7-linux-amd64");
        Files.createDirectories(inUse.getParent());
        Files.copy(Path.of("/bin/sleep"), inUse);
        inUse.toFile().setExecutable(true);
        Process running = new ProcessBuilder(inUse.toString(), "60").start();
        try {
            for (Path dir : List.of(stray.getParent(), foreign.getParent(), notOurName.getParent(), inUse.getParent(),
                    inUse)) {
                Files.setLastModifiedTime(dir, FileTime.from(anHourAgo));
            }

            RunDirectory.reapStrayRedisFiles(temp, Duration.ofMinutes(10), log);

            assertThat(stray.getParent()).doesNotExist();
            assertThat(strayConfig).doesNotExist();
            assertThat(List.of(recent, foreign, notOurName, recentConfig, inUse))
                .allSatisfy(kept -> assertThat(kept).exists());
        }
        finally {
            running.destroyForcibly().waitFor();
        }
    }

    private static Path oldFile(Path file, Instant modified) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(modified));
        Files.setLastModifiedTime(file.getParent(), FileTime.from(modified));
        return file;
    }

    @Test
    void sharesRunningEnginesBetweenContextsAndStopsThemWithTheLastOne() {
        var plan = new EmbeddedEngines.Plan(Set.of(Service.REDIS), Optional.empty(), true);
        EmbeddedEngines.Lease first = EmbeddedEngines.acquire(plan, log);
        EmbeddedEngines.Lease second = EmbeddedEngines.acquire(plan, log);
        int port = (int) first.properties().get("spring.data.redis.port");
        assertThat(second.properties().get("spring.data.redis.port")).isEqualTo(port);

        first.close();
        assertThat(redis(port, "PING")).isEqualTo("+PONG");

        second.close();
        assertThat(canConnect(port)).isFalse();
    }

    @Test
    void fallsBackToAnInProcessRedisThatRunsLuaOnItsOwnClock() {
        var plan = new EmbeddedEngines.Plan(Set.of(Service.REDIS), Optional.empty(), true);
        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log)) {
            int port = (int) lease.properties().get("spring.data.redis.port");
            assertThat(lease.properties().get("quartet.embedded.redis.kind")).isEqualTo("in-process");
            assertThat(redis(port, "PING")).isEqualTo("+PONG");
            // The distributed rate limiter relies on EVAL and TIME.
            assertThat(redis(port, "EVAL", "return redis.call('TIME')[1] ~= nil and 1 or 0", "0")).isEqualTo(":1");
        }
    }

    @Test
    void refusesAPersistentDirectoryOwnedByAnotherLiveQuartet(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("postgres"));
        // Our parent process (Maven's JVM) stands in for another live Quartet.
        long otherLiveQuartet = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(home.resolve("quartet-owner.pid"), Long.toString(otherLiveQuartet));
        var plan = new EmbeddedEngines.Plan(Set.of(Service.POSTGRESQL), Optional.of(home), false);

        assertThatThrownBy(() -> EmbeddedEngines.acquire(plan, log)).hasMessageContaining("in use by another Quartet")
            .hasMessageContaining(Long.toString(otherLiveQuartet));
        assertThat(home.resolve("postgres").resolve("PG_VERSION")).doesNotExist();
    }

    @Test
    void refusesTheKafkaLogOfADirectoryOwnedByAnotherLiveQuartetAlsoWithPostgresElsewhere(@TempDir Path home)
            throws IOException {
        // The owner file a Quartet that claimed only PostgreSQL's directory writes, still
        // running.
        long otherLiveQuartet = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(home.resolve("postgres.quartet-owner.pid"), Long.toString(otherLiveQuartet));
        var plan = new EmbeddedEngines.Plan(Set.of(Service.KAFKA), Optional.of(home), false);

        assertThatThrownBy(() -> EmbeddedEngines.acquire(plan, log)).hasMessageContaining("in use by another Quartet");
        assertThat(home.resolve("kafka")).doesNotExist();
    }

    @Test
    void keepsTheKafkaLogItsClusterAndCommittedOffsetsAcrossRestartsOnNewPorts(@TempDir Path home) throws Exception {
        var plan = new EmbeddedEngines.Plan(Set.of(Service.KAFKA), Optional.of(home), false);
        String firstServers;
        String clusterId;
        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log)) {
            firstServers = (String) lease.properties().get("spring.kafka.bootstrap-servers");
            clusterId = clusterId(firstServers);
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, firstServers, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new StringSerializer())) {
                producer.send(new ProducerRecord<>("kept", "one")).get(30, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>("kept", "two")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = consumer(firstServers, "reader")) {
                consumer.commitSync(Map.of(new TopicPartition("kept", 0), new OffsetAndMetadata(1)));
            }
        }
        assertThat(home.resolve("kafka").resolve("logs").resolve("meta.properties"))
            .as("the log stays beside PostgreSQL's data")
            .exists();
        assertThat(home.resolve("quartet-owner.pid")).as("released").doesNotExist();

        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log)) {
            String servers = (String) lease.properties().get("spring.kafka.bootstrap-servers");
            assertThat(servers).as("a port of its own again").isNotEqualTo(firstServers);
            assertThat(clusterId(servers)).isEqualTo(clusterId);
            try (KafkaConsumer<String, String> consumer = consumer(servers, "reader")) {
                consumer.subscribe(List.of("kept"));
                List<String> received = new java.util.ArrayList<>();
                await().atMost(Duration.ofSeconds(30)).until(() -> {
                    consumer.poll(Duration.ofMillis(200)).forEach(record -> received.add(record.value()));
                    return !received.isEmpty();
                });
                assertThat(received).as("resumes after its committed offset").containsExactly("two");
            }
        }
    }

    private static String clusterId(String bootstrapServers) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            return admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaConsumer<String, String> consumer(String bootstrapServers, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"), new StringDeserializer(), new StringDeserializer());
    }

    @Test
    void keepsPersistentDataAcrossRestarts(@TempDir Path home) throws Exception {
        var plan = new EmbeddedEngines.Plan(Set.of(Service.POSTGRESQL), Optional.of(home), false);
        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log); Connection connection = connect(lease)) {
            connection.createStatement().execute("create table demo (note text); insert into demo values ('kept')");
        }
        try (EmbeddedEngines.Lease lease = EmbeddedEngines.acquire(plan, log); Connection connection = connect(lease)) {
            ResultSet result = connection.createStatement()
                .executeQuery("select note, current_setting('fsync') from demo");
            result.next();
            assertThat(result.getString(1)).isEqualTo("kept");
            assertThat(result.getString(2)).as("the demo database survives a host crash").isEqualTo("on");
        }
    }

    @Test
    void stopsTheEnginesThatDidStartWhenAnotherFailsAndRemovesTheirFiles(@TempDir Path home) throws IOException {
        Files.createDirectories(home.resolve("postgres"));
        long otherLiveQuartet = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(home.resolve("quartet-owner.pid"), Long.toString(otherLiveQuartet));
        var plan = new EmbeddedEngines.Plan(Set.of(Service.POSTGRESQL, Service.REDIS), Optional.of(home), false);
        Set<Path> runsBefore = runDirectoriesOfThisJvm();
        // other test contexts may share one
        Set<Long> redisBefore = redisServersOfThisJvm();

        assertThatThrownBy(() -> EmbeddedEngines.acquire(plan, log)).hasMessageContaining("in use by another Quartet");

        assertThat(redisServersOfThisJvm()).as("the redis-server that did start is stopped").isSubsetOf(redisBefore);
        assertThat(runDirectoriesOfThisJvm()).isSubsetOf(runsBefore);
    }

    @Test
    void stopsEnginesOrphanedByAKilledJvmAndDeletesTheirFiles() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        Path orphanRun = RUN_ROOT.resolve(Long.toString(exited.pid())).resolve("1");
        Path redisDir = Files.createDirectories(orphanRun.resolve("redis"));
        var orphan = redis.embedded.RedisServer.newRedisServer()
            .bind("127.0.0.1")
            .port(FreePorts.next())
            .setting("pidfile " + redisDir.resolve("redis-server.pid"))
            .setting("dir " + redisDir)
            .build();
        orphan.start();
        long orphanPid = RunDirectory.OrphanProcess.readPid(redisDir.resolve("redis-server.pid")).orElseThrow();

        RunDirectory.create(log).delete();

        await().atMost(Duration.ofSeconds(15))
            .until(() -> ProcessHandle.of(orphanPid).map(p -> !p.isAlive()).orElse(true));
        assertThat(orphanRun.getParent()).doesNotExist();
        orphan.stop();
    }

    private static final Path TEMP = Path.of(System.getProperty("java.io.tmpdir"));

    private static final Path RUN_ROOT = TEMP.resolve("quartet-run");

    private static Set<Long> redisServersOfThisJvm() {
        return ProcessHandle.current()
            .children()
            .filter(p -> p.info().command().orElse("").contains("redis-server"))
            .map(ProcessHandle::pid)
            .collect(java.util.stream.Collectors.toSet());
    }

    private static Set<Path> runDirectoriesOfThisJvm() throws IOException {
        Path mine = RUN_ROOT.resolve(Long.toString(ProcessHandle.current().pid()));
        if (!Files.isDirectory(mine)) {
            return Set.of();
        }
        try (var runs = Files.list(mine)) {
            return runs.collect(java.util.stream.Collectors.toSet());
        }
    }

    private static Connection connect(EmbeddedEngines.Lease lease) throws Exception {
        return DriverManager.getConnection((String) lease.properties().get("spring.datasource.url"), "postgres", "");
    }

    private static long postmasterPid(EmbeddedEngines.Lease lease) throws Exception {
        try (Connection connection = connect(lease)) {
            ResultSet result = connection.createStatement().executeQuery("select pg_read_file('postmaster.pid')");
            result.next();
            return Long.parseLong(result.getString(1).lines().findFirst().orElseThrow().trim());
        }
    }

    /**
     * One Redis command as a RESP array; returns the reply's type marker and value, e.g.
     * +PONG or :1.
     */
    static String redis(int port, String... command) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("*").append(command.length).append("\r\n");
            for (String part : command) {
                request.append('$')
                    .append(part.getBytes(StandardCharsets.UTF_8).length)
                    .append("\r\n")
                    .append(part)
                    .append("\r\n");
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            var reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line = reply.readLine();
            // A bulk string ($<length>) carries its value on the next line; report it as
            // a simple one.
            return line.startsWith("$") && !line.equals("$-1") ? "+" + reply.readLine() : line;
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean canConnect(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        }
        catch (IOException e) {
            return false;
        }
    }

}
