# Reads lines "TOOL DIR runN MiB/s" and prints "median DIR TOOL n=COUNT MiB/s" per tool and directory.
{ key = $2 " " $1; values[key] = values[key] " " $4; count[key]++ }
END {
  for (key in values) {
    n = split(substr(values[key], 2), v, " ")
    for (i = 2; i <= n; i++) { x = v[i]; j = i - 1; while (j > 0 && v[j] + 0 > x + 0) { v[j + 1] = v[j]; j-- } v[j + 1] = x }
    m = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
    printf (m < 100 ? "median %s n=%d %.3f\n" : "median %s n=%d %.0f\n"), key, n, m
  }
}
