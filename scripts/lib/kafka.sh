# shellcheck shell=bash
# The Kafka-protocol broker for ./kinder run and infra: librdkafka's mock cluster, hosted by
# tools/Kinder.KafkaMock (see docs/ARCHITECTURE.md, "Kafka without Docker"). It keeps records in
# memory only. KINDER_KAFKA_BOOTSTRAP=host:port uses a real broker instead.

KINDER_KAFKA_DLL=tools/Kinder.KafkaMock/bin/Release/net10.0/Kinder.KafkaMock.dll
KAFKA_BOOTSTRAP=
KAFKA_IS_MOCK=

# kafka_start: sets KAFKA_BOOTSTRAP.
kafka_start() {
  local file="$KINDER_STATE_DIR/kafka.bootstrap" pid deadline=$((SECONDS + 60))
  if [[ -n ${KINDER_KAFKA_BOOTSTRAP:-} ]]; then
    KAFKA_BOOTSTRAP=$KINDER_KAFKA_BOOTSTRAP
    info "Kafka: using the broker at $KAFKA_BOOTSTRAP (KINDER_KAFKA_BOOTSTRAP); no mock broker started."
    return 0
  fi
  [[ -f $KINDER_ROOT/$KINDER_KAFKA_DLL ]] || die "$KINDER_KAFKA_DLL is missing: build first"
  rm -f "$file"
  info "Starting the Kafka mock broker (tools/Kinder.KafkaMock)"
  spawn kafka "$KINDER_ROOT" dotnet "$KINDER_KAFKA_DLL" --bootstrap-file "$file"
  pid=${KINDER_PIDS[kafka]}
  # The file may appear before it is fully written: wait for a complete host:port[,host:port] list.
  until [[ -f $file && $(<"$file") =~ ^[[:space:]]*([^[:space:],]+:[0-9]+,?)+[[:space:]]*$ ]]; do
    alive "$pid" || die "the Kafka mock broker exited before writing $file"
    ((SECONDS < deadline)) || die "the Kafka mock broker did not write $file within 60s"
    sleep 0.2
  done
  KAFKA_BOOTSTRAP=$(tr -d '[:space:]' <"$file")
  KAFKA_IS_MOCK=1
  info "Kafka: mock broker at $KAFKA_BOOTSTRAP — it keeps records IN MEMORY ONLY; they are lost when the runner stops."
}
