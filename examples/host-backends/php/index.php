<?php
// CxReports endpoints for the cxreports-widget, in one file: plain PHP 8.2, no extensions
// beyond php-cli (calls go through PHP's http:// stream wrapper, so php-curl is not needed).
//
// The browser never sees the CxReports Personal Access Token (PAT): this server holds it and
// offers the widget what it needs under /api/cxreports:
//   POST /nonce                     a single-use nonce for the report viewer
//   GET  /reports[?type=CODE]       the workspace's reports (allowlisted)
//   GET  /report-types              the workspace's report types
//   GET  /reports/{id}/pdf?params=  the report as a PDF download
//   POST /temporary-data            stores large report data; its tempDataId works in
//                                   this user's PDF exports only
//
// Run:  export CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=/run/secrets/cxreports_pat \
//              DEMO_SESSIONS=alice:$(openssl rand -hex 16) ALLOWED_HOSTS=app.example.com \
//              ALLOWED_ORIGINS=https://app.example.com
//       php index.php                          # checks the configuration, then exits
//       php -S 127.0.0.1:8090 index.php        # development server; in production, see ../README.md
// Env:  every setting, with its default, is listed in ../README.md ("Configuration").
// Replace: signed_in_user() with your app's own session check; route /api/cxreports/* here.

const PREVIEW_KEYS = ['params', 'data', 'tempDataId', 'timezone', 'lang', 'theme', 'template'];
const MAX_PAGES = 500, MAX_TEMP_DATA_LIFE_S = 86400;

final class HttpError extends Exception {
    public function __construct(public int $status, public string $kind, string $message, public ?int $upstreamStatus = null, public array $headers = []) {
        parent::__construct($message);
    }
}

function env(string $name, string $default = ''): string { return trim((string) getenv($name)) ?: $default; }
function env_list(string $name, string $default = ''): array { return array_values(array_filter(array_map('trim', explode(',', env($name, $default))), 'strlen')); }
// Every line goes through here, so that the PAT cannot reach the log.
function log_line(string $message): void { error_log('cxreports-host: ' . (defined('PAT') ? str_replace(PAT, '[redacted]', $message) : $message)); }

/** The demo's users: DEMO_SESSIONS="alice:TOKEN,bob:TOKEN", or DEMO_SESSION=TOKEN for one user, "demo". */
function demo_users(): array {
    $users = [];
    foreach (env_list('DEMO_SESSIONS') as $pair) {
        [$name, $token] = array_map('trim', explode(':', $pair, 2)) + [1 => ''];
        $users[] = [$name, $token];
    }
    if (env('DEMO_SESSION') !== '') $users[] = ['demo', env('DEMO_SESSION')];
    return $users;
}

function config_error(): ?string {
    if (env('CXREPORTS_URL') === '') return 'set CXREPORTS_URL to your CxReports address, like https://reports.example.com';
    $file = env('CXREPORTS_PAT_FILE');
    $pat = env('CXREPORTS_PAT') ?: ($file !== '' && is_readable($file) ? trim((string) file_get_contents($file)) : '');
    if ($pat === '') return $file !== '' ? "cannot read CXREPORTS_PAT_FILE ($file)" : 'set CXREPORTS_PAT_FILE to a file holding your CxReports PAT (or CXREPORTS_PAT to the PAT)';
    $numbers = ['CXREPORTS_PAGE_SIZE' => [200, 1, 1000], 'CXREPORTS_TIMEOUT_SECS' => [10, 1, 600], 'CXREPORTS_PDF_TIMEOUT_SECS' => [120, 1, 3600],
        'MAX_TEMP_DATA_BYTES' => [256 * 1024, 1, 16 * 1024 * 1024], 'RATE_LIMIT_WINDOW_SECS' => [60, 1, 86400],
        'RATE_LIMIT_PER_USER' => [30, 1, 1000000], 'RATE_LIMIT_PER_CLIENT' => [120, 1, 1000000]];
    foreach ($numbers as $name => [$default, $min, $max]) {
        $value = env($name, (string) $default);
        if (!preg_match('/\A[0-9]{1,9}\z/', $value) || (int) $value < $min || (int) $value > $max) return "set $name to a whole number from $min to $max";
    }
    // A short token can be guessed from the open internet.
    foreach (demo_users() as [$name, $token]) if ($name === '' || strlen($token) < 16) return 'give DEMO_SESSIONS as name:token pairs, each token at least 16 characters (openssl rand -hex 16)';
    $dir = env('STATE_DIR', sys_get_temp_dir() . '/cxreports-host');
    if (!is_dir($dir) && !@mkdir($dir, 0700, true) || !is_writable($dir)) return "cannot write to STATE_DIR ($dir): point it at a directory this server may write, and no one else";
    define('PAT', $pat);
    define('STATE_DIR', $dir);
    foreach ($numbers as $name => [$default]) define($name, (int) env($name, (string) $default));
    return null;
}

// THE SEAM: replace this with your app's own session check ($_SESSION, your framework's auth, a JWT, ...).
// Return the signed-in user with a stable id, or null. There is no login here on purpose: the demo
// accepts the cookie `session=<token>` of a DEMO_SESSIONS user, and nothing else.
function signed_in_user(): ?array {
    $given = (string) ($_COOKIE['session'] ?? '');
    foreach (demo_users() as [$name, $token]) if ($token !== '' && hash_equals($token, $given)) return ['id' => $name];
    return null;
}

/**
 * One call to CxReports with the PAT; answers [open stream, content type, content length or null].
 * Redirects are not followed: they could carry the PAT elsewhere. CxReports' own error text goes to the
 * log only: it may name internal hosts or data.
 */
function cxreports(string $method, string $path, float $timeout, ?string $json = null, float $limit = CXREPORTS_TIMEOUT_SECS): array {
    $headers = ['Authorization: Bearer ' . PAT, 'Accept-Encoding: identity', 'Connection: close'];
    if ($json !== null) array_push($headers, 'Content-Type: application/json', 'Content-Length: ' . strlen($json));
    elseif ($method === 'POST') $headers[] = 'Content-Length: 0';
    $context = stream_context_create(['http' => ['method' => $method, 'timeout' => max($timeout, 0.1), 'ignore_errors' => true,
        'follow_location' => 0, 'protocol_version' => 1.1, 'header' => implode("\r\n", $headers), 'content' => $json ?? '']]);
    $started = microtime(true);
    $stream = @fopen(rtrim(env('CXREPORTS_URL'), '/') . $path, 'rb', false, $context);
    if ($stream === false) {
        $cause = error_get_last()['message'] ?? 'no answer';
        log_line("$method $path: $cause");
        if (microtime(true) - $started >= $timeout - 0.5) throw timed_out($limit);
        throw new HttpError(502, 'upstream_unreachable', 'CxReports cannot be reached: retry later; if it persists, tell the administrator');
    }
    $headers = stream_get_meta_data($stream)['wrapper_data'] ?? [];
    $status = (int) (explode(' ', $headers[0] ?? '')[1] ?? 0);
    $type = '';
    $length = null;
    foreach ($headers as $h) {
        if (stripos($h, 'content-type:') === 0) $type = trim(substr($h, 13));
        if (stripos($h, 'content-length:') === 0 && preg_match('/\A[0-9]{1,15}\z/', trim(substr($h, 15)))) $length = (int) trim(substr($h, 15));
    }
    if ($status >= 200 && $status < 300 && stripos($type, 'text/html') === false) return [$stream, $type, $length];
    $text = (string) fread($stream, 300);
    fclose($stream);
    log_line("$method $path: CxReports answered $status $type: " . json_encode($text, JSON_INVALID_UTF8_SUBSTITUTE | JSON_UNESCAPED_SLASHES));
    if ($status === 401 || $status === 403 || ($status >= 300 && $status < 400) || stripos($type, 'text/html') !== false)
        throw new HttpError(502, 'upstream_auth', "CxReports refused the server's PAT: the administrator should check CXREPORTS_PAT");
    throw new HttpError(502, 'upstream_status', "CxReports answered status $status: retry later; if it persists, the administrator should check CXREPORTS_URL and CXREPORTS_WORKSPACE", $status);
}

function timed_out(float $seconds): HttpError { return new HttpError(504, 'upstream_timeout', 'CxReports did not answer within ' . round($seconds) . ' s: retry later'); }

/** A JSON answer of CxReports, read whole before $deadline: the stream timeout alone bounds each read, not the answer. */
function cxreports_json(string $method, string $path, ?float $deadline = null, ?string $json = null): mixed {
    $deadline ??= microtime(true) + CXREPORTS_TIMEOUT_SECS;
    [$stream] = cxreports($method, $path, $deadline - microtime(true), $json);
    $body = '';
    while (!feof($stream)) {
        stream_set_timeout($stream, max(1, (int) ceil($deadline - microtime(true))));
        $chunk = fread($stream, 65536);
        if ($chunk === false || stream_get_meta_data($stream)['timed_out'] || microtime(true) > $deadline) { fclose($stream); throw timed_out(CXREPORTS_TIMEOUT_SECS); }
        $body .= $chunk;
    }
    fclose($stream);
    $value = json_decode($body);
    if ($value === null) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent an answer that cannot be read: retry later');
    return $value;
}

function cxreports_list(string $path, ?float $deadline = null): array {
    $rows = cxreports_json('GET', $path, $deadline);
    if (!is_array($rows)) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent a list that cannot be read: retry later');
    return $rows;
}

function workspace_path(): string { return '/api/v1/ws/' . rawurlencode(env('CXREPORTS_WORKSPACE', 'sales')); }

/** The whole report list, page by page: never rely on CxReports' default page size. One deadline for all pages. */
function all_reports(string $type): array {
    $seen = [];
    $allowed = env_list('CXREPORTS_ALLOWED_REPORTS');
    $deadline = microtime(true) + CXREPORTS_TIMEOUT_SECS;
    for ($page = 0; $page < MAX_PAGES; $page++) {
        if (microtime(true) >= $deadline) throw timed_out(CXREPORTS_TIMEOUT_SECS);
        $query = http_build_query(($type !== '' ? ['type' => $type] : []) + ['offset' => $page * CXREPORTS_PAGE_SIZE, 'limit' => CXREPORTS_PAGE_SIZE]);
        $rows = cxreports_list(workspace_path() . "/reports?$query", $deadline);
        $fresh = array_filter($rows, fn ($r) => is_object($r) && isset($r->id) && !isset($seen[$r->id]));
        if ($rows && !$fresh) throw new HttpError(502, 'upstream_bad_response', 'CxReports answered the same reports twice, as if it ignored offset: the administrator should check CXREPORTS_URL');
        foreach ($fresh as $r) $seen[$r->id] = $r;
        if (count($rows) < CXREPORTS_PAGE_SIZE) return array_values(array_filter($seen, fn ($r) => !$allowed || in_array((string) $r->id, $allowed, true)));
    }
    throw new HttpError(502, 'upstream_list_too_long', 'CxReports lists too many reports here: list one report type at a time (?type=CODE)');
}

// Rate limits and temp-data owners live in files under STATE_DIR: PHP keeps nothing between requests.
// That serves one machine; with several, keep them in a store they share (Redis, your database).
function state_file(string $kind, string $key): string { return STATE_DIR . "/$kind-" . hash('sha256', $key); }

function prune_state(): void {
    if (random_int(0, 99) !== 0) return; // now and then is enough: stale files only take disk space
    $now = time();
    foreach (glob(STATE_DIR . '/rate-*') ?: [] as $f) if (@filemtime($f) < $now - RATE_LIMIT_WINDOW_SECS) @unlink($f);
    foreach (glob(STATE_DIR . '/temp-*') ?: [] as $f) if (@filemtime($f) < $now - MAX_TEMP_DATA_LIFE_S) @unlink($f);
}

/** Fixed windows per user and per client address; counted only when neither is full. */
function rate_limit(string $what, array $user): void {
    $header = env('CLIENT_ADDRESS_HEADER');
    $forwarded = $header !== '' ? trim((string) array_slice(explode(',', (string) ($_SERVER['HTTP_' . strtoupper(str_replace('-', '_', $header))] ?? '')), -1)[0]) : '';
    $client = $forwarded !== '' ? $forwarded : (string) ($_SERVER['REMOTE_ADDR'] ?? '');
    $now = time();
    $windows = [];
    foreach ([["$what user {$user['id']}", RATE_LIMIT_PER_USER], ["$what client $client", RATE_LIMIT_PER_CLIENT]] as [$key, $limit]) {
        $f = fopen(state_file('rate', $key), 'c+');
        if ($f === false || !flock($f, LOCK_EX)) throw new HttpError(500, 'internal', 'the server failed: retry later');
        [$count, $reset] = array_map('intval', explode(' ', (string) stream_get_contents($f))) + [0, 0];
        if ($reset <= $now) [$count, $reset] = [0, $now + RATE_LIMIT_WINDOW_SECS];
        $windows[] = [$f, $count, $reset, $limit];
    }
    $full = array_filter($windows, fn ($w) => $w[1] >= $w[3]);
    foreach ($windows as [$f, $count, $reset]) {
        if (!$full) { ftruncate($f, 0); rewind($f); fwrite($f, ($count + 1) . " $reset"); }
        flock($f, LOCK_UN);
        fclose($f);
    }
    if ($full) {
        $wait = max(1, max(array_map(fn ($w) => $w[2], $full)) - $now);
        throw new HttpError(429, 'rate_limited', "too many requests: wait $wait s, then retry", null, ["Retry-After: $wait"]);
    }
    prune_state();
}

// Who stored which temporary data: CxReports ids are sequential, so without this any user could
// export a PDF with another user's data by guessing its tempDataId.
function temporary_data(array $user): array {
    if ((int) ($_SERVER['CONTENT_LENGTH'] ?? 0) > MAX_TEMP_DATA_BYTES) throw new HttpError(413, 'too_large', 'the body is larger than ' . MAX_TEMP_DATA_BYTES . ' bytes: send less data, or raise MAX_TEMP_DATA_BYTES on the server');
    $body = json_decode((string) file_get_contents('php://input', false, null, 0, MAX_TEMP_DATA_BYTES + 1));
    if (!is_object($body) || !property_exists($body, 'content') || (isset($body->expiryDate) && !is_string($body->expiryDate)))
        throw new HttpError(400, 'bad_request', 'the body must be JSON like {"content": <any JSON>, "expiryDate": "2026-01-01T00:00:00Z"}');
    $forward = ['content' => $body->content] + (isset($body->expiryDate) && $body->expiryDate !== '' ? ['expiryDate' => $body->expiryDate] : []);
    $stored = cxreports_json('POST', workspace_path() . '/temporary-data', null, json_encode($forward, JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION));
    if (!is_object($stored) || !is_int($stored->tempDataId ?? null) || $stored->tempDataId < 0 || $stored->tempDataId >= 10 ** 15 || !is_string($stored->expiryDate ?? null))
        throw new HttpError(502, 'upstream_bad_response', 'CxReports sent no tempDataId: retry later');
    $expires = min(strtotime($stored->expiryDate) ?: time() + 3600, time() + MAX_TEMP_DATA_LIFE_S);
    file_put_contents(state_file('temp', (string) $stored->tempDataId), $user['id'] . "\n" . $expires, LOCK_EX);
    prune_state();
    return ['tempDataId' => $stored->tempDataId, 'expiryDate' => $stored->expiryDate];
}

function check_temp_data(string $id, array $user): void {
    // \z, not $: in PHP, $ also matches before a final newline, so "12\n" would pass.
    if (!preg_match('/\A[0-9]{1,15}\z/', $id)) throw new HttpError(400, 'bad_request', 'tempDataId must be the number POST /api/cxreports/temporary-data answered');
    [$owner, $expires] = explode("\n", (string) @file_get_contents(state_file('temp', $id))) + ['', 0];
    if ($owner !== $user['id'] || (int) $expires <= time())
        throw new HttpError(403, 'forbidden', 'this tempDataId is not yours or has expired: store the data again with POST /api/cxreports/temporary-data');
}

function pdf(string $id, array $user): void {
    if (!preg_match('/\A[A-Za-z0-9_-]{1,100}\z/', $id)) throw new HttpError(400, 'bad_request', 'a report id is letters, digits, - or _: pick one from GET /api/cxreports/reports');
    $allowed = env_list('CXREPORTS_ALLOWED_REPORTS');
    if ($allowed && !in_array($id, $allowed, true)) throw new HttpError(403, 'forbidden', "report $id is not offered here: pick one from GET /api/cxreports/reports");
    $inputs = array_filter(array_intersect_key($_GET, array_flip(PREVIEW_KEYS)), fn ($v) => is_string($v) && $v !== '');
    if (isset($inputs['tempDataId'])) check_temp_data($inputs['tempDataId'], $user);
    $query = http_build_query($inputs, '', '&', PHP_QUERY_RFC3986);
    // Its own, longer limit: rendering a big report takes time.
    $deadline = microtime(true) + CXREPORTS_PDF_TIMEOUT_SECS;
    try {
        [$stream, $type, $length] = cxreports('GET', workspace_path() . "/reports/$id/pdf" . ($query !== '' ? "?$query" : ''), CXREPORTS_PDF_TIMEOUT_SECS, null, CXREPORTS_PDF_TIMEOUT_SECS);
    } catch (HttpError $e) {
        if ($e->upstreamStatus === 404) throw new HttpError(404, 'not_found', "no report $id in this workspace: pick one from GET /api/cxreports/reports");
        if ($e->upstreamStatus === 400) throw new HttpError(400, 'bad_request', 'CxReports could not read the report inputs: send params and data as JSON, tempDataId as a number');
        throw $e;
    }
    if (stripos($type, 'application/pdf') === false) {
        fclose($stream);
        throw new HttpError(502, 'upstream_bad_response', 'CxReports sent something other than a PDF: retry later');
    }
    $read = function () use ($stream, $deadline): string|false {
        stream_set_timeout($stream, max(1, (int) ceil($deadline - microtime(true))));
        $chunk = fread($stream, 65536);
        return $chunk === false || stream_get_meta_data($stream)['timed_out'] || microtime(true) > $deadline ? false : $chunk;
    };
    // PHP's streams report a cut answer as a normal end. With a length, a short count shows it: the
    // answer carries Content-Length, so the browser sees the shortfall too. Without one, the PDF is
    // held back until its %%EOF has arrived, and then sent with its length.
    if ($length === null) {
        $spool = fopen('php://temp/maxmemory:' . (4 << 20), 'w+b');
        $tail = '';
        while (!feof($stream)) {
            if (($chunk = $read()) === false) { fclose($stream); throw timed_out(CXREPORTS_PDF_TIMEOUT_SECS); }
            fwrite($spool, $chunk);
            $tail = substr($tail . $chunk, -1024);
        }
        fclose($stream);
        if (!str_contains($tail, '%%EOF')) {
            log_line("GET /reports/$id/pdf: CxReports broke off the PDF (no %%EOF at its end)");
            throw new HttpError(502, 'upstream_bad_response', 'CxReports sent a PDF that breaks off: retry later');
        }
        $length = ftell($spool);
        rewind($spool);
        $stream = $spool;
    }
    header('Content-Type: application/pdf');
    header("Content-Disposition: attachment; filename=\"report-$id.pdf\"");
    header("Content-Length: $length");
    $sent = 0;
    while (!feof($stream) && ($chunk = $read()) !== false) { echo $chunk; flush(); $sent += strlen($chunk); }
    fclose($stream);
    if ($sent !== $length) log_line("GET /reports/$id/pdf: cut off after $sent of $length bytes");
}

function origin_allowed(string $origin): bool {
    foreach (env_list('ALLOWED_ORIGINS') as $o) {
        if ($o === $origin || (str_ends_with($o, ':*') && str_starts_with($origin, substr($o, 0, -1)) && preg_match('/\A[0-9]{1,5}\z/', substr($origin, strlen($o) - 1)))) return true;
    }
    return false;
}

/** A Host check stops DNS rebinding: a foreign site whose name resolves to this server sends its own name as Host (and as Origin), never one of ours. */
function host_allowed(string $host): bool {
    $host = strtolower($host);
    if (!preg_match('/\A(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::[0-9]{1,5})?\z/', $host, $m)) return false;
    foreach (env_list('ALLOWED_HOSTS', 'localhost,127.0.0.1,[::1]') as $a) if (in_array(strtolower($a), [$m[1], $host], true)) return true;
    return false;
}

function handle(string $method, string $path): mixed {
    $origin = $_SERVER['HTTP_ORIGIN'] ?? null;
    $badOrigin = fn () => new HttpError(403, 'csrf', 'the page origin ' . ($origin ?? '(none)') . ' is not allowed: add it to ALLOWED_ORIGINS on the server');
    if (!host_allowed((string) ($_SERVER['HTTP_HOST'] ?? '')))
        throw new HttpError(421, 'bad_host', 'this server does not answer for that host name: the administrator should add the public host name to ALLOWED_HOSTS');
    if ($origin !== null && origin_allowed($origin)) {
        header("Access-Control-Allow-Origin: $origin");
        header('Access-Control-Allow-Credentials: true');
        header('Access-Control-Expose-Headers: Content-Disposition, Retry-After');
    }
    if (!preg_match('#\A/api/cxreports(/nonce|/reports|/report-types|/temporary-data|/reports/([^/]+)/pdf)\z#', $path, $m))
        throw new HttpError(404, 'not_found', 'no such endpoint: the widget uses /api/cxreports/nonce, /reports, /report-types and /reports/{id}/pdf');
    $route = isset($m[2]) ? '/pdf' : $m[1];
    $allow = in_array($route, ['/nonce', '/temporary-data'], true) ? 'POST' : 'GET';
    if ($method === 'OPTIONS') { // a CORS preflight
        if ($origin === null || !origin_allowed($origin)) throw $badOrigin();
        http_response_code(204);
        header('Access-Control-Allow-Methods: GET, POST');
        header('Access-Control-Allow-Headers: content-type, x-requested-with');
        header('Access-Control-Max-Age: 600');
        return null;
    }
    if ($origin !== null && !origin_allowed($origin)) throw $badOrigin(); // only the configured origins: Host is whatever the caller says
    if ($method !== $allow) { header("Allow: $allow"); throw new HttpError(405, 'method_not_allowed', "$method is not allowed here: use $allow"); }
    if ($config = config_error()) { log_line($config); throw new HttpError(500, 'backend_config', 'the server is not set up for CxReports: the administrator should read its log'); }
    $user = signed_in_user();
    if ($user === null) throw new HttpError(401, 'unauthenticated', 'sign in first');
    if ($method === 'POST') { // CSRF: a cross-site form cannot send X-Requested-With
        if (trim($_SERVER['HTTP_X_REQUESTED_WITH'] ?? '') === '') throw new HttpError(403, 'csrf', 'this POST lacks the X-Requested-With header: send it (the widget sends X-Requested-With: cxreports-widget)');
        rate_limit($route, $user);
    }
    switch ($route) {
        case '/nonce':
            $body = cxreports_json('POST', '/api/v1/nonce-tokens');
            if (!is_object($body) || !is_string($body->nonce ?? null) || $body->nonce === '') throw new HttpError(502, 'upstream_bad_response', 'CxReports sent no nonce: retry later');
            return ['nonce' => $body->nonce];
        case '/reports': return all_reports(is_string($_GET['type'] ?? null) ? $_GET['type'] : '');
        case '/report-types': return cxreports_list(workspace_path() . '/report-types');
        case '/temporary-data': return temporary_data($user);
        default: pdf(rawurldecode($m[2]), $user); return null;
    }
}

if (PHP_SAPI === 'cli') { // `php index.php`: check the configuration only
    $error = config_error();
    fwrite($error ? STDERR : STDOUT, $error ? "cxreports-host: $error\n" : "cxreports-host: configuration ok; serve it with: php -S 127.0.0.1:8090 index.php\n");
    exit($error ? 2 : 0);
}
ini_set('display_errors', '0'); // a PHP warning must not reach the browser: it goes to the log
header_remove('X-Powered-By');
header('Cache-Control: no-store');
header('X-Content-Type-Options: nosniff');
header('Vary: Origin');
$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
register_shutdown_function(fn () => log_line("{$_SERVER['REQUEST_METHOD']} $path " . http_response_code())); // the path only: queries stay out of the log
try {
    $body = handle($_SERVER['REQUEST_METHOD'], $path);
} catch (HttpError $e) {
    [$status, $body] = [$e->status, ['error' => $e->getMessage(), 'kind' => $e->kind]];
    foreach ($e->headers as $h) header($h);
} catch (Throwable $e) {
    log_line(get_class($e) . ': ' . $e->getMessage());
    [$status, $body] = [500, ['error' => 'the server failed: retry later', 'kind' => 'internal']];
}
if ($body !== null && !headers_sent()) {
    http_response_code($status ?? 200);
    header('Content-Type: application/json');
    echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
}
