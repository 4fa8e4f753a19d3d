import { Metrics } from '@aws-lambda-powertools/metrics';

/** The functions' CloudWatch metrics (EMF), for the handlers that publish any. */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'CertReminders',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cert-reminders',
});
