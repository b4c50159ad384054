# The container for the Bitbucket pipe and for `docker run` in any CI (GitLab, Jenkins, CircleCI…).
# Only the bundle goes in: dist/index.js carries every dependency, so no npm install here.
# BASE_IMAGE is overridable so the image test can build on a local Node 24 when no registry is reachable.
ARG BASE_IMAGE=node:24-alpine
FROM ${BASE_IMAGE}

ARG VERSION=0.1.0
LABEL org.opencontainers.image.title="codebuild-run" \
      org.opencontainers.image.description="Start an AWS CodeBuild build, stream its logs, wait, and fail unless it SUCCEEDED." \
      org.opencontainers.image.source="https://github.com/codebuild-run/codebuild-run" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"

COPY dist/index.js /opt/codebuild-run/index.js

# Root, like Atlassian's pipes: the pipe writes its result file into the bind-mounted clone
# directory, which belongs to the build container's user. The working directory is the one the
# CI sets (`-w`), so a relative RESULT_FILE lands beside the user's files.
ENV NODE_ENV=production
ENTRYPOINT ["node", "/opt/codebuild-run/index.js"]
