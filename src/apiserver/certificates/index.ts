// The API server's part of certificates.k8s.io: the CSR admission rules and the approval subresource.
export { certificatesAdmission, type CertificatesAdmissionOptions } from './admission.js';
export { approvalHandler, certificateSubresources, updateApproval } from './approval.js';
