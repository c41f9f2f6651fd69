#!/bin/sh
# Stand-in for lets-chat: one HTTP request per connection (run by `nc -ll -e`); pages list and
# store messages through the backend reached by the Service name mongo.
# Not MONGO_HOST/MONGO_PORT: Kubernetes sets those for the Service mongo (MONGO_PORT=tcp://IP:27017).
BACKEND_HOST=${LCB_BACKEND_HOST:-mongo}
BACKEND_PORT=${LCB_BACKEND_PORT:-27017}
ask() { printf '%s\n' "$1" | nc -w 3 "$BACKEND_HOST" "$BACKEND_PORT" 2>/dev/null; }
reply() {
  body=$(cat; echo x)
  body=${body%x}
  printf 'HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %s\r\nX-Served-By: %s\r\nConnection: close\r\n\r\n%s' "$1" "$2" "$(printf %s "$body" | wc -c)" "$(hostname)" "$body"
}
read -r method path _ || exit 0
length=0
while read -r line; do
  line=$(printf %s "$line" | tr -d '\r')
  [ -z "$line" ] && break
  case "$line" in [Cc]ontent-[Ll]ength:*) length=$(printf %s "${line#*:}" | tr -dc 0-9) ;; esac
done
unreachable() { echo "cannot reach $BACKEND_HOST:$BACKEND_PORT" | reply '503 Service Unavailable' text/plain; }
case "$method $path" in
  "POST /messages")
    text=$(head -c "${length:-0}" | tr '\r\n' '  ')
    case "$text" in text=*) text=$(httpd -d "$(printf %s "${text#text=}" | tr + ' ')") ;; esac
    if [ "$(ask "PUT $text")" = OK ]; then echo "stored by $(hostname)" | reply '201 Created' text/plain; else unreachable; fi ;;
  "GET /messages")
    list=$(ask LIST)
    case "$list" in *END) printf '%s\n' "$list" | sed '$d' | reply '200 OK' text/plain ;; *) unreachable ;; esac ;;
  "GET /healthz") echo ok | reply '200 OK' text/plain ;;
  "GET /")
    list=$(ask LIST)
    case "$list" in *END) ;; *) unreachable; exit 0 ;; esac
    {
      echo "<!DOCTYPE html><html><head><title>Let's Chat</title></head><body><h1>Let's Chat</h1><p>Served by $(hostname)</p><ul>"
      printf '%s\n' "$list" | sed '$d' | sed 's/&/\&amp;/g; s/</\&lt;/g; s/.*/<li>&<\/li>/'
      echo '</ul><form method="post" action="/messages"><input name="text"><button>Send</button></form></body></html>'
    } | reply '200 OK' 'text/html; charset=utf-8' ;;
  *) echo 'not found' | reply '404 Not Found' text/plain ;;
esac
