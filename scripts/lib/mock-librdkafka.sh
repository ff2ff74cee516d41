# shellcheck shell=bash
# The Kafka mock's own librdkafka: librdkafka's source with tools/Kinder.KafkaMock/librdkafka/mock-fetch.patch, which
# makes its mock cluster answer a held fetch when a record arrives, return every set that fits, and find an offset
# from the log's end (docs/decisions/0001). The services keep Confluent.Kafka's own build; only the mock cluster (the
# AppHost's Kafka resource and the tests' in-process clusters) loads this one. The source comes from npm: the
# @confluentinc/kafka-javascript package ships librdkafka's source tree.

KINDER_MOCK_LIBRDKAFKA_PACKAGE=@confluentinc/kafka-javascript@1.10.1 # its deps/librdkafka is librdkafka 2.15.1
KINDER_MOCK_LIBRDKAFKA_PATCH="$KINDER_ROOT/tools/Kinder.KafkaMock/librdkafka/mock-fetch.patch"
# Where Kinder.KafkaMock's MockLibrary looks for it; the stamp names the package and the patch it was built from.
KINDER_MOCK_LIBRDKAFKA_DIR="$KINDER_STATE_DIR/librdkafka"

# ensure_mock_librdkafka: build the patched library once (about a minute on two cores), again when the patch changes.
# The toolchain (gcc, make, patch, python3) and npm come with ensure_packages, which runs first.
ensure_mock_librdkafka() {
  local stamp work source log
  stamp="$KINDER_MOCK_LIBRDKAFKA_PACKAGE $(sha256sum "$KINDER_MOCK_LIBRDKAFKA_PATCH" | cut -c1-16)"
  [[ -f $KINDER_MOCK_LIBRDKAFKA_DIR/librdkafka.so && $(cat "$KINDER_MOCK_LIBRDKAFKA_DIR/stamp" 2>/dev/null) == "$stamp" ]] &&
    return 0

  info "Building the Kafka mock's librdkafka ($KINDER_MOCK_LIBRDKAFKA_PACKAGE's source + mock-fetch.patch, once)"
  work=$(mktemp -d /tmp/kinder-librdkafka.XXXXXX)
  log="$work/build.log"
  source="$work/package/deps/librdkafka"
  # Without SSL, SASL, HTTP and external compression libraries: the mock serves plaintext on loopback, stores record
  # batches as produced and decompresses nothing. -Bsymbolic binds the library's calls to itself, as a second
  # librdkafka (Confluent's) lives in the same process.
  if (cd "$work" && npm pack --silent "$KINDER_MOCK_LIBRDKAFKA_PACKAGE" >"$log" 2>&1 &&
    tar xzf ./*.tgz package/deps/librdkafka >>"$log" 2>&1) &&
    (cd "$source" && patch -p1 --forward <"$KINDER_MOCK_LIBRDKAFKA_PATCH" >>"$log" 2>&1 &&
      LDFLAGS="-Wl,-Bsymbolic" ./configure --disable-ssl --disable-gssapi --disable-curl --disable-zstd \
        --disable-lz4-ext --disable-zlib >>"$log" 2>&1 &&
      make -C src -j"$(nproc)" librdkafka.so >>"$log" 2>&1); then
    mkdir -p "$KINDER_MOCK_LIBRDKAFKA_DIR" &&
      cp "$source/src/librdkafka.so.1" "$KINDER_MOCK_LIBRDKAFKA_DIR/librdkafka.so.tmp" &&
      mv -f "$KINDER_MOCK_LIBRDKAFKA_DIR/librdkafka.so.tmp" "$KINDER_MOCK_LIBRDKAFKA_DIR/librdkafka.so" &&
      echo "$stamp" >"$KINDER_MOCK_LIBRDKAFKA_DIR/stamp" || die "could not copy the built librdkafka"
    rm -rf "$work"
    info "Kafka mock's librdkafka built: $KINDER_MOCK_LIBRDKAFKA_DIR/librdkafka.so"
  else
    tail -n 30 "$log" >&2
    die "building the Kafka mock's librdkafka failed (full log: $log)"
  fi
}
