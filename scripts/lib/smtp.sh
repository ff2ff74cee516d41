# shellcheck shell=bash
# The SMTP sink for ./kinder run and infra: tools/Kinder.SmtpSink, a loopback SMTP server that accepts
# every message the services send and writes it to .kinder/mail as an .eml file (nothing leaves the machine).

KINDER_SMTP_DLL=tools/Kinder.SmtpSink/bin/Release/net10.0/Kinder.SmtpSink.dll
SMTP_MAIL_DIR="$KINDER_STATE_DIR/mail"

# smtp_start: start the sink on 127.0.0.1:$SMTP_PORT and wait until it accepts connections.
smtp_start() {
  [[ -f $KINDER_ROOT/$KINDER_SMTP_DLL ]] || die "$KINDER_SMTP_DLL is missing: build first"
  info "Starting the SMTP sink (tools/Kinder.SmtpSink) on 127.0.0.1:$SMTP_PORT; mail goes to $SMTP_MAIL_DIR"
  spawn smtp "$KINDER_ROOT" dotnet "$KINDER_SMTP_DLL" --port "$SMTP_PORT" --dir "$SMTP_MAIL_DIR"
  wait_for "the SMTP sink" 60 "${KINDER_PIDS[smtp]}" port_busy "$SMTP_PORT"
}
