# The container for the Bitbucket pipe and for `docker run` in any CI (GitLab, Jenkins, CircleCI…).
# Only the bundle goes in: dist/index.js carries every dependency, so no npm install here.
#
# The base: releases build on `release-base`, Node pinned by digest (the release workflow passes
# BASE_IMAGE=release-base; Dependabot's docker updates keep the digest current, and the CI's container
# job builds on it on every pull request). A plain `docker build .` takes the floating node:24-alpine;
# the image test passes a local Node 24 base, since no registry is reachable there. An unused stage is
# never pulled (BuildKit and podman skip it).
ARG BASE_IMAGE=node:24-alpine
FROM node:24-alpine@sha256:e67514e5d0f6c46656005e1b693b2ec9d52e80b641307de684d4a015ba7a4eaf AS release-base
FROM ${BASE_IMAGE}

# Written by `npm run metadata` from package.json's version; the release passes the same.
ARG VERSION=1.0.0
LABEL org.opencontainers.image.title="codebuild-run" \
      org.opencontainers.image.description="Start an AWS CodeBuild build, stream its logs, wait, and fail unless it SUCCEEDED." \
      org.opencontainers.image.source="https://github.com/codebuild-run/codebuild-run" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="MIT"

COPY dist/index.js /opt/codebuild-run/index.js
# The licences that travel with the code: this project's, and those of every package bundled into
# index.js (dist/licenses.txt, written by the build beside the bundle).
COPY LICENSE dist/licenses.txt /opt/codebuild-run/

# Root, like Atlassian's pipes: the pipe writes its result file into the bind-mounted clone
# directory, which belongs to the build container's user. The working directory is the one the
# CI sets (`-w`), so a relative RESULT_FILE lands beside the user's files.
ENV NODE_ENV=production
ENTRYPOINT ["node", "/opt/codebuild-run/index.js"]
