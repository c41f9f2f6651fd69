#!/bin/sh
# Stand-in for mongo: one command per connection. PUT <text> stores a line, LIST prints them all.
DB=/data/db/messages
read -r cmd rest
case "$cmd" in
  PUT) printf '%s\n' "$rest" >> "$DB" && echo OK ;;
  LIST) cat "$DB" 2>/dev/null; echo END ;;
  PING) echo PONG ;;
  *) echo "ERR unknown command" ;;
esac
