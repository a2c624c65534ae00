{{/* Names, labels and the pieces every Kensho container shares. */}}

{{- define "kensho.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Name of one component's resources: kensho.component (dict "root" $ "component" "catalog"). */}}
{{- define "kensho.component" -}}
{{- printf "%s-%s" (include "kensho.fullname" .root) .component -}}
{{- end -}}

{{- define "kensho.labels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kensho.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "kensho.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{- define "kensho.secretName" -}}
{{- default (printf "%s-secrets" (include "kensho.fullname" .)) .Values.secrets.existingSecret -}}
{{- end -}}

{{- define "kensho.terminationGracePeriodSeconds" -}}
{{- add .Values.drain.preStopSeconds .Values.drain.drainTimeoutSeconds .Values.drain.graceMarginSeconds -}}
{{- end -}}

{{/* gRPC endpoint of a component, through its headless Service. */}}
{{- define "kensho.grpcUrl" -}}
{{- $settings := index .root.Values .component -}}
{{- printf "http://%s:%d" (include "kensho.component" .) (int $settings.port) -}}
{{- end -}}

{{/* Environment variable taken from one key of a Secret. */}}
{{- define "kensho.secretEnv" -}}
- name: {{ .name }}
  valueFrom:
    secretKeyRef:
      name: {{ .secret }}
      key: {{ .key }}
{{- end -}}

{{- define "kensho.databaseUrlEnv" -}}
{{- if .Values.postgresql.existingSecret -}}
{{ include "kensho.secretEnv" (dict "name" "KENSHO_CATALOG__DATABASE__URL" "secret" .Values.postgresql.existingSecret "key" .Values.postgresql.existingSecretKey) }}
{{- else -}}
{{ include "kensho.secretEnv" (dict "name" "KENSHO_CATALOG__DATABASE__URL" "secret" (printf "%s-database" (include "kensho.fullname" .)) "key" "database-url") }}
{{- end -}}
{{- end -}}

{{- define "kensho.redisUrlEnv" -}}
{{- if .Values.redis.existingSecret -}}
{{ include "kensho.secretEnv" (dict "name" "KENSHO_AUTH__STORE__REDIS_URL" "secret" .Values.redis.existingSecret "key" .Values.redis.existingSecretKey) }}
{{- else -}}
{{ include "kensho.secretEnv" (dict "name" "KENSHO_AUTH__STORE__REDIS_URL" "secret" (include "kensho.secretName" .) "key" "redis-url") }}
{{- end -}}
{{- end -}}

{{/* Pod-level settings every Kensho pod shares. */}}
{{- define "kensho.podSpecCommon" -}}
enableServiceLinks: false
automountServiceAccountToken: false
terminationGracePeriodSeconds: {{ include "kensho.terminationGracePeriodSeconds" . }}
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* Container-level settings every Kensho container shares. */}}
{{- define "kensho.containerCommon" -}}
image: {{ include "kensho.image" . }}
imagePullPolicy: {{ .Values.image.pullPolicy }}
securityContext:
  {{- toYaml .Values.containerSecurityContext | nindent 2 }}
lifecycle:
  preStop:
    sleep:
      seconds: {{ .Values.drain.preStopSeconds }}
{{- end -}}

{{/* Volumes every Kensho pod has: a writable /tmp and data directory under a read-only root. */}}
{{- define "kensho.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: data
  mountPath: /var/lib/kensho
{{- if .Values.internalTls.enabled }}
- name: internal-tls
  mountPath: {{ .Values.internalTls.mountPath }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "kensho.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if not .persistentData }}
- name: data
  emptyDir: {}
{{- end }}
{{- if .root.Values.internalTls.enabled }}
- name: internal-tls
  secret:
    secretName: {{ required "internalTls.secretName is required when internalTls.enabled" .root.Values.internalTls.secretName }}
    defaultMode: 0440
{{- end }}
{{- end -}}
