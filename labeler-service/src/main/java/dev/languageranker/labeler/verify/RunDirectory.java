package dev.languageranker.labeler.verify;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/** A fresh temp directory for one sandbox run: the harness and job beside a {@code box/} the program works in. */
final class RunDirectory implements AutoCloseable {

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root;
  }

  /** Creates the directory with the harness and job; without mount isolation {@code box/} gets them directly, owned by {@code uid} when it is not -1. */
  static RunDirectory create(Path workRoot, String harness, String job, boolean isolatedMounts, int uid) {
    try {
      Path root = Files.createTempDirectory(workRoot, "lr-sandbox-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
      Path box = Files.createDirectory(root.resolve("box"));
      Files.writeString(root.resolve("harness.py"), harness);
      Files.writeString(root.resolve("job.json"), job);
      if (!isolatedMounts) {
        // No private tmpfs: the program works in box/ on disk, so it gets its own copy there.
        Files.writeString(box.resolve("harness.py"), harness);
        Files.writeString(box.resolve("job.json"), job);
        if (uid >= 0) {
          for (Path p : new Path[]{box, box.resolve("harness.py"), box.resolve("job.json")}) {
            Files.setAttribute(p, "unix:uid", uid);
            Files.setAttribute(p, "unix:gid", uid);
          }
          Files.setPosixFilePermissions(box, PosixFilePermissions.fromString("rwx------"));
        }
      }
      return new RunDirectory(root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a sandbox directory in " + workRoot, e);
    }
  }

  Path root() {
    return root;
  }

  Path box() {
    return root.resolve("box");
  }

  @Override
  public void close() {
    deleteQuietly(root);
  }

  static void deleteQuietly(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Best effort: a leftover temp directory is not worth failing a verification for.
    }
  }
}
