{{/* Chart name, overridable. */}}
{{- define "groundwork.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of the release's objects: the release name when it already contains the chart name. */}}
{{- define "groundwork.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "groundwork.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Selector labels: stable across upgrades. */}}
{{- define "groundwork.selectorLabels" -}}
app.kubernetes.io/name: {{ include "groundwork.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "groundwork.labels" -}}
helm.sh/chart: {{ include "groundwork.chart" . }}
{{ include "groundwork.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/component: operator
app.kubernetes.io/part-of: groundwork
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "groundwork.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/* The Lease the operator elects its leader with (groundwork.leader-election.lease-name). */}}
{{- define "groundwork.leaseName" -}}
groundwork-leader
{{- end }}


{{/* Checks across values that a JSON schema cannot state clearly. */}}
{{- define "groundwork.validate" -}}
{{- if and (gt (int .Values.replicas) 1) (not .Values.leaderElection.enabled) }}
{{- fail (printf "leaderElection.enabled must be true when replicas is %d: without it every replica would reconcile" (int .Values.replicas)) }}
{{- end }}
{{- $allowed := .Values.standard.storage.allowedClasses }}
{{- range .Values.standard.storage.defaultClasses }}
{{- if not (has . $allowed) }}
{{- fail (printf "standard.storage.defaultClasses: %q is not in standard.storage.allowedClasses %v" . $allowed) }}
{{- end }}
{{- end }}
{{- if not (hasKey .Values.standard.logging.sinks .Values.standard.logging.defaultSink) }}
{{- fail (printf "standard.logging.defaultSink: %q names no sink in standard.logging.sinks" .Values.standard.logging.defaultSink) }}
{{- end }}
{{- $bindable := .Values.standard.access.bindableRoles }}
{{- range $bindable }}
{{- if or (eq . "cluster-admin") (hasPrefix "system:" .) }}
{{- fail (printf "standard.access.bindableRoles: %q must not be given to a team" .) }}
{{- end }}
{{- end }}
{{- range $tier, $t := .Values.standard.tiers }}
{{- range $env, $role := merge (dict "defaultRole" $t.access.defaultRole) $t.access.roles }}
{{- if not (has $role $bindable) }}
{{- fail (printf "standard.tiers.%s.access: role %q (%s) is not in standard.access.bindableRoles %v" $tier $role $env $bindable) }}
{{- end }}
{{- end }}
{{- if gt (int $t.storage.defaultClaims) (int $t.storage.ceilingClaims) }}
{{- fail (printf "standard.tiers.%s.storage.defaultClaims (%d) exceeds ceilingClaims (%d)" $tier (int $t.storage.defaultClaims) (int $t.storage.ceilingClaims)) }}
{{- end }}
{{- range $pair := list (list "defaultTotal" "ceilingTotal") (list "defaultClaimSize" "ceilingClaimSize") }}
{{- $default := index $t.storage (index $pair 0) }}
{{- $ceiling := index $t.storage (index $pair 1) }}
{{- if gt (float64 (include "groundwork.quantity" $default)) (float64 (include "groundwork.quantity" $ceiling)) }}
{{- fail (printf "standard.tiers.%s.storage.%s (%v) exceeds %s (%v)" $tier (index $pair 0) $default (index $pair 1) $ceiling) }}
{{- end }}
{{- end }}
{{- if gt (int $t.logging.defaultDays) (int $t.logging.ceilingDays) }}
{{- fail (printf "standard.tiers.%s.logging.defaultDays (%d) exceeds ceilingDays (%d)" $tier (int $t.logging.defaultDays) (int $t.logging.ceilingDays)) }}
{{- end }}
{{- end }}
{{- end }}

{{/* A storage quantity (the schema allows digits with an optional binary or decimal suffix) in bytes. */}}
{{- define "groundwork.quantity" -}}
{{- $q := toString . }}
{{- $number := regexFind "^[0-9]+(\\.[0-9]+)?" $q }}
{{- $factors := dict "" 1.0 "k" 1e3 "M" 1e6 "G" 1e9 "T" 1e12 "P" 1e15 "E" 1e18 "Ki" 1024.0 "Mi" 1048576.0 "Gi" 1073741824.0 "Ti" 1099511627776.0 "Pi" 1125899906842624.0 "Ei" 1152921504606846976.0 }}
{{- mulf (float64 $number) (get $factors (trimPrefix $number $q)) }}
{{- end }}
