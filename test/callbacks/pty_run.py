"""Runs a command under a pseudo-terminal, as a user's shell would, and sends it a signal mid-run.

argv: how ('ctrl-c' writes ^C to the terminal, so its line discipline sends SIGINT to the
foreground process group as a key press does; 'SIGTERM' kills the child with that signal),
the text to wait for in the output, the delay in ms after it, a timeout in s, then the command.
Prints one JSON line: the raw output (base64) and how the child ended (exit code or signal).
"""
import base64, json, os, pty, select, signal, sys, time

how, marker, delay_ms, timeout_s = sys.argv[1], sys.argv[2].encode(), int(sys.argv[3]), float(sys.argv[4])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[5], sys.argv[5:])

out = b''
sent_at = None
seen_at = None
deadline = time.time() + timeout_s
while time.time() < deadline:
    if seen_at is None and marker in out:
        seen_at = time.time()
    if seen_at is not None and sent_at is None and time.time() >= seen_at + delay_ms / 1000:
        if how == 'ctrl-c':
            os.write(fd, b'\x03')
        else:
            os.kill(pid, getattr(signal, how))
        sent_at = time.time()
    ready, _, _ = select.select([fd], [], [], 0.02)
    if ready:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
else:
    os.kill(pid, signal.SIGKILL)

_, status = os.waitpid(pid, 0)
print(json.dumps({
    'output': base64.b64encode(out).decode(),
    'exitCode': os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    'signal': signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None,
    'sent': sent_at is not None,
    'timedOut': time.time() >= deadline,
}))
