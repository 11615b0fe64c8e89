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
//
// Run:  export CXREPORTS_URL=https://reports.example.com CXREPORTS_PAT_FILE=/run/secrets/cxreports_pat \
//              DEMO_SESSION=change-me ALLOWED_ORIGINS=https://app.example.com
//       php index.php                          # checks the configuration, then exits
//       php -S 127.0.0.1:8090 index.php        # development server; in production, use php-fpm
// Env:  CXREPORTS_URL, CXREPORTS_PAT or CXREPORTS_PAT_FILE, CXREPORTS_WORKSPACE (sales),
//       CXREPORTS_ALLOWED_REPORTS (ids, comma-separated; empty = all), CXREPORTS_PAGE_SIZE (200), ALLOWED_ORIGINS
//       (comma-separated; "http://localhost:*" = any port), DEMO_SESSION (see signed_in_user).
// Replace: signed_in_user() with your app's own session check; route /api/cxreports/* here.

const PREVIEW_KEYS = ['params', 'data', 'tempDataId', 'timezone', 'lang', 'theme', 'template'];
const MAX_PAGES = 500, TIMEOUT_S = 10;

final class HttpError extends Exception {
    public function __construct(public int $status, public string $kind, string $message, public ?int $upstreamStatus = null) {
        parent::__construct($message);
    }
}

function env(string $name, string $default = ''): string { return trim((string) getenv($name)) ?: $default; }
function env_list(string $name): array { return array_values(array_filter(array_map('trim', explode(',', env($name))))); }
function log_line(string $message): void { error_log('cxreports-host: ' . (defined('PAT') ? str_replace(PAT, '[redacted]', $message) : $message)); }

function config_error(): ?string {
    if (env('CXREPORTS_URL') === '') return 'set CXREPORTS_URL to your CxReports address, like https://reports.example.com';
    $file = env('CXREPORTS_PAT_FILE');
    $pat = env('CXREPORTS_PAT') ?: ($file !== '' && is_readable($file) ? trim((string) file_get_contents($file)) : '');
    if ($pat === '') return $file !== '' ? "cannot read CXREPORTS_PAT_FILE ($file)" : 'set CXREPORTS_PAT_FILE to a file holding your CxReports PAT (or CXREPORTS_PAT to the PAT)';
    $size = env('CXREPORTS_PAGE_SIZE', '200');
    if (!ctype_digit($size) || (int) $size < 1 || (int) $size > 1000) return 'set CXREPORTS_PAGE_SIZE to a whole number from 1 to 1000, at most the page size your CxReports answers in full';
    define('PAT', $pat);
    define('PAGE_SIZE', (int) $size);
    return null;
}

// THE SEAM: replace this with your app's own session check ($_SESSION, your framework's auth, a JWT, ...).
// Return the signed-in user, or null. This demo accepts the cookie `session=$DEMO_SESSION`.
function signed_in_user(): ?array {
    $demo = env('DEMO_SESSION');
    return $demo !== '' && hash_equals($demo, (string) ($_COOKIE['session'] ?? '')) ? ['name' => 'demo'] : null;
}

/** One call to CxReports with the PAT; answers [open stream, content type]. Redirects are not followed: they could carry the PAT elsewhere. */
function cxreports(string $method, string $path): array {
    $context = stream_context_create(['http' => ['method' => $method, 'timeout' => TIMEOUT_S, 'ignore_errors' => true,
        'follow_location' => 0, 'header' => 'Authorization: Bearer ' . PAT . ($method === 'POST' ? "\r\nContent-Length: 0" : '')]]);
    $started = microtime(true);
    $stream = @fopen(rtrim(env('CXREPORTS_URL'), '/') . $path, 'rb', false, $context);
    if ($stream === false) {
        $cause = error_get_last()['message'] ?? 'no answer';
        log_line("$method $path: $cause");
        if (microtime(true) - $started >= TIMEOUT_S - 0.5) throw new HttpError(504, 'upstream_timeout', 'CxReports did not answer within ' . TIMEOUT_S . ' s: retry later');
        throw new HttpError(502, 'upstream_unreachable', 'CxReports cannot be reached: retry later; if it persists, tell the administrator');
    }
    $headers = stream_get_meta_data($stream)['wrapper_data'] ?? [];
    $status = (int) (explode(' ', $headers[0] ?? '')[1] ?? 0);
    $type = '';
    foreach ($headers as $h) if (stripos($h, 'content-type:') === 0) $type = trim(substr($h, 13));
    if ($status >= 200 && $status < 300 && stripos($type, 'text/html') === false) return [$stream, $type];
    fclose($stream);
    log_line("$method $path: CxReports answered $status $type");
    if ($status === 401 || $status === 403 || ($status >= 300 && $status < 400) || stripos($type, 'text/html') !== false)
        throw new HttpError(502, 'upstream_auth', "CxReports refused the server's PAT: the administrator should check CXREPORTS_PAT");
    throw new HttpError(502, 'upstream_status', "CxReports answered status $status: retry later; if it persists, the administrator should check CXREPORTS_URL and CXREPORTS_WORKSPACE", $status);
}

function cxreports_json(string $method, string $path): mixed {
    [$stream] = cxreports($method, $path);
    $body = stream_get_contents($stream);
    $timedOut = stream_get_meta_data($stream)['timed_out'];
    fclose($stream);
    if ($timedOut) throw new HttpError(504, 'upstream_timeout', 'CxReports did not send its whole answer within ' . TIMEOUT_S . ' s: retry later');
    $value = json_decode((string) $body);
    if ($value === null) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent an answer that cannot be read: retry later');
    return $value;
}

function cxreports_list(string $path): array {
    $rows = cxreports_json('GET', $path);
    if (!is_array($rows)) throw new HttpError(502, 'upstream_bad_response', 'CxReports sent a list that cannot be read: retry later');
    return $rows;
}

function workspace_path(): string { return '/api/v1/ws/' . rawurlencode(env('CXREPORTS_WORKSPACE', 'sales')); }

/** The whole report list, page by page: never rely on CxReports' default page size. */
function all_reports(string $type): array {
    $seen = [];
    $allowed = env_list('CXREPORTS_ALLOWED_REPORTS');
    for ($page = 0; $page < MAX_PAGES; $page++) {
        $query = http_build_query(($type !== '' ? ['type' => $type] : []) + ['offset' => $page * PAGE_SIZE, 'limit' => PAGE_SIZE]);
        $rows = cxreports_list(workspace_path() . "/reports?$query");
        $fresh = array_filter($rows, fn ($r) => is_object($r) && isset($r->id) && !isset($seen[$r->id]));
        if ($rows && !$fresh) throw new HttpError(502, 'upstream_bad_response', 'CxReports answered the same reports twice, as if it ignored offset: the administrator should check CXREPORTS_URL');
        foreach ($fresh as $r) $seen[$r->id] = $r;
        if (count($rows) < PAGE_SIZE) return array_values(array_filter($seen, fn ($r) => !$allowed || in_array((string) $r->id, $allowed, true)));
    }
    throw new HttpError(502, 'upstream_list_too_long', 'CxReports lists too many reports here: list one report type at a time (?type=CODE)');
}

function pdf(string $id): void {
    if (!preg_match('/^[A-Za-z0-9_-]{1,100}$/', $id)) throw new HttpError(400, 'bad_request', 'a report id is letters, digits, - or _: pick one from GET /api/cxreports/reports');
    $allowed = env_list('CXREPORTS_ALLOWED_REPORTS');
    if ($allowed && !in_array($id, $allowed, true)) throw new HttpError(403, 'forbidden', "report $id is not offered here: pick one from GET /api/cxreports/reports");
    $query = http_build_query(array_filter(array_intersect_key($_GET, array_flip(PREVIEW_KEYS)), fn ($v) => is_string($v) && $v !== ''), '', '&', PHP_QUERY_RFC3986);
    try {
        [$stream, $type] = cxreports('GET', workspace_path() . "/reports/$id/pdf" . ($query !== '' ? "?$query" : ''));
    } catch (HttpError $e) {
        if ($e->upstreamStatus === 404) throw new HttpError(404, 'not_found', "no report $id in this workspace: pick one from GET /api/cxreports/reports");
        if ($e->upstreamStatus === 400) throw new HttpError(400, 'bad_request', 'CxReports could not read the report inputs: send params and data as JSON, tempDataId as a number');
        throw $e;
    }
    if (stripos($type, 'application/pdf') === false) {
        fclose($stream);
        throw new HttpError(502, 'upstream_bad_response', 'CxReports sent something other than a PDF: retry later');
    }
    header('Content-Type: application/pdf');
    header("Content-Disposition: attachment; filename=\"report-$id.pdf\"");
    while (!feof($stream) && ($chunk = fread($stream, 65536)) !== false) { echo $chunk; flush(); }
    fclose($stream);
}

function origin_allowed(string $origin): bool {
    foreach (env_list('ALLOWED_ORIGINS') as $o) {
        if ($o === $origin || (str_ends_with($o, ':*') && str_starts_with($origin, substr($o, 0, -1)) && ctype_digit(substr($origin, strlen($o) - 1)))) return true;
    }
    return false;
}

function handle(string $method, string $path): mixed {
    $origin = $_SERVER['HTTP_ORIGIN'] ?? null;
    $badOrigin = fn () => new HttpError(403, 'csrf', 'the page origin ' . ($origin ?? '(none)') . ' is not allowed: add it to ALLOWED_ORIGINS on the server');
    if (!preg_match('#^/api/cxreports(/nonce|/reports|/report-types|/reports/([^/]+)/pdf)$#', $path, $m))
        throw new HttpError(404, 'not_found', 'no such endpoint: the widget uses /api/cxreports/nonce, /reports, /report-types and /reports/{id}/pdf');
    $route = isset($m[2]) ? '/pdf' : $m[1];
    $allow = $route === '/nonce' ? 'POST' : 'GET';
    if ($method === 'OPTIONS') { // a CORS preflight
        if ($origin === null || !origin_allowed($origin)) throw $badOrigin();
        http_response_code(204);
        header('Access-Control-Allow-Methods: GET, POST');
        header('Access-Control-Allow-Headers: content-type, x-requested-with');
        header('Access-Control-Max-Age: 600');
        return null;
    }
    if ($method !== $allow) { header("Allow: $allow"); throw new HttpError(405, 'method_not_allowed', "$method is not allowed here: use $allow"); }
    if ($method === 'POST') { // CSRF: a cross-site form cannot send X-Requested-With, and a foreign page's Origin is refused
        if (trim($_SERVER['HTTP_X_REQUESTED_WITH'] ?? '') === '') throw new HttpError(403, 'csrf', 'this POST lacks the X-Requested-With header: send it (the widget sends X-Requested-With: cxreports-widget)');
        $own = (($_SERVER['HTTPS'] ?? '') === 'on' || ($_SERVER['HTTP_X_FORWARDED_PROTO'] ?? '') === 'https' ? 'https' : 'http') . '://' . ($_SERVER['HTTP_HOST'] ?? '');
        if ($origin !== null && !origin_allowed($origin) && $origin !== $own) throw $badOrigin();
    }
    if (signed_in_user() === null) throw new HttpError(401, 'unauthenticated', 'sign in first');
    if ($config = config_error()) { log_line($config); throw new HttpError(500, 'backend_config', 'the server is not set up for CxReports: the administrator should read its log'); }
    switch ($route) {
        case '/nonce':
            $body = cxreports_json('POST', '/api/v1/nonce-tokens');
            if (!is_object($body) || !is_string($body->nonce ?? null) || $body->nonce === '') throw new HttpError(502, 'upstream_bad_response', 'CxReports sent no nonce: retry later');
            return ['nonce' => $body->nonce];
        case '/reports': return all_reports(is_string($_GET['type'] ?? null) ? $_GET['type'] : '');
        case '/report-types': return cxreports_list(workspace_path() . '/report-types');
        default: pdf(rawurldecode($m[2])); return null;
    }
}

if (PHP_SAPI === 'cli') { // `php index.php`: check the configuration only
    $error = config_error();
    fwrite($error ? STDERR : STDOUT, $error ? "cxreports-host: $error\n" : "cxreports-host: configuration ok; serve it with: php -S 127.0.0.1:8090 index.php\n");
    exit($error ? 2 : 0);
}
ini_set('display_errors', '0'); // a PHP warning must not reach the browser: it goes to the log
ini_set('default_socket_timeout', (string) TIMEOUT_S);
header_remove('X-Powered-By');
header('Cache-Control: no-store');
header('X-Content-Type-Options: nosniff');
header('Vary: Origin');
if (isset($_SERVER['HTTP_ORIGIN']) && origin_allowed($_SERVER['HTTP_ORIGIN'])) {
    header('Access-Control-Allow-Origin: ' . $_SERVER['HTTP_ORIGIN']);
    header('Access-Control-Allow-Credentials: true');
    header('Access-Control-Expose-Headers: Content-Disposition');
}
$path = (string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
register_shutdown_function(fn () => log_line("{$_SERVER['REQUEST_METHOD']} $path " . http_response_code())); // the path only: queries stay out of the log
try {
    $body = handle($_SERVER['REQUEST_METHOD'], $path);
} catch (HttpError $e) {
    [$status, $body] = [$e->status, ['error' => $e->getMessage(), 'kind' => $e->kind]];
} catch (Throwable $e) {
    log_line(get_class($e) . ': ' . $e->getMessage());
    [$status, $body] = [500, ['error' => 'the server failed: retry later', 'kind' => 'internal']];
}
if ($body !== null && !headers_sent()) {
    http_response_code($status ?? 200);
    header('Content-Type: application/json');
    echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
}
