#!/bin/sh
# kube-get PATH: GET an API path with the pod's in-cluster configuration: the mounted
# service-account token as credentials, the mounted CA to verify the API server (and its address).
sa=/var/run/secrets/kubernetes.io/serviceaccount
printf 'GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nAccept: application/json\r\nConnection: close\r\n\r\n' \
  "$1" "$KUBERNETES_SERVICE_HOST" "$(cat "$sa/token")" |
  openssl s_client -quiet -verify_return_error -CAfile "$sa/ca.crt" -verify_ip "$KUBERNETES_SERVICE_HOST" \
    -connect "$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT" 2>/dev/null
